using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Partnership.Functions.Hosting;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Workflow;

namespace Partnership.Worker;

/// <summary>
/// The Functions app that runs the bids in Azure: their orchestrations and activities on the Durable extension,
/// and the daily digest and outcome reminders on timers. The web app next to it serves the API and pages and sends the commands.
/// </summary>
public static class WorkerProgram
{
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.Services.AddPartnershipServices(builder.Configuration);

        // Orchestration inputs, events and activity results are written as the web app's client writes them.
        builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(WorkflowJson.Options));
        foreach (var activity in new[] { typeof(MoveMoney), typeof(RecordAnswer), typeof(CommitStep), typeof(CarryOutEffect), typeof(GiveUpEffect) })
        {
            builder.Services.AddSingleton(activity);
        }

        builder.Build().Run();
    }
}
