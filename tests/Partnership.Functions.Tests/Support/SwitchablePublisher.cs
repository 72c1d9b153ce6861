using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Workflow;

namespace Partnership.Functions.Tests.Support;

/// <summary>The real queue publisher, with a switch that makes it fail as a process killed after the commit would.</summary>
public sealed class SwitchablePublisher(Storage storage) : IEffectPublisher
{
    private readonly QueueEffectPublisher _inner = new(storage);

    public bool Crashed { get; set; }

    public Task EnqueueAsync(IEnumerable<EffectMessage> messages, CancellationToken cancellationToken) =>
        Crashed ? throw new IOException("The process died before the effects were queued.") : _inner.EnqueueAsync(messages, cancellationToken);

    public static void Install(IServiceCollection services)
    {
        services.RemoveAll<IEffectPublisher>();
        services.AddSingleton<SwitchablePublisher>();
        services.AddSingleton<IEffectPublisher>(s => s.GetRequiredService<SwitchablePublisher>());
    }
}
