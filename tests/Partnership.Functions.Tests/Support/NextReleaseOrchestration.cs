using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Partnership.Functions.Workflow;

namespace Partnership.Functions.Tests.Support;

/// <summary>
/// A next release of the bid orchestration, as a test stands one in: it keeps the wait, then hands the command it
/// hears to a generation of its own before the current code applies it. Keys of what it handed on are kept in
/// <paramref name="handedOn"/>, so a test can tell that this code, not the release before it, took the command.
/// </summary>
internal sealed class NextReleaseOrchestration(BidOrchestration current, ConcurrentQueue<string> handedOn) : TaskOrchestrator<BidRun, object?>
{
    public override async Task<object?> RunAsync(TaskOrchestrationContext context, BidRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (!input.InHand.IsEmpty)
        {
            return await current.RunAsync(context, input);
        }

        var listening = context.WaitForExternalEvent<BidCommandEvent>(BidOrchestration.CommandEvent);
        context.SetCustomStatus(BidOrchestration.Waiting);
        var next = await BidOrchestration.NextDeadlineOrAsync(context, input, listening);
        if (!context.IsReplaying)
        {
            handedOn.Enqueue(next.Key);
        }

        context.ContinueAsNew(input with { InHand = [next] });
        return null;
    }
}
