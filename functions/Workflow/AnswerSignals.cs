using System.Collections.Concurrent;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Tells a caller waiting in this process that its command's answer has been recorded, so that it reads the answer
/// once instead of reading storage on a timer while the bid works: on one machine those reads compete with the bids
/// themselves for the same storage. A caller whose command another process applies (the web app in Azure, a second
/// worker) hears nothing and finds its answer by looking.
/// </summary>
public sealed class AnswerSignals
{
    private readonly ConcurrentDictionary<string, Listener> _listeners = new(StringComparer.Ordinal);

    /// <summary>Listens for the answer to one command; made before the command is sent, so an answer cannot slip by unheard.</summary>
    public Listener Listen(string bidId, string commandKey)
    {
        var listener = new Listener(this, $"{bidId}/{commandKey}");
        _listeners[listener.Key] = listener;
        return listener;
    }

    public void Answered(string bidId, string commandKey)
    {
        if (_listeners.TryGetValue($"{bidId}/{commandKey}", out var listener))
        {
            listener.Hear();
        }
    }

    public sealed class Listener : IDisposable
    {
        private readonly AnswerSignals _owner;
        private readonly SemaphoreSlim _heard = new(0);

        internal Listener(AnswerSignals owner, string key)
        {
            _owner = owner;
            Key = key;
        }

        internal string Key { get; }

        /// <summary>True when the answer was recorded within <paramref name="atMost"/>; false when the time ran out first.</summary>
        public Task<bool> WaitAsync(TimeSpan atMost, CancellationToken cancellationToken) => _heard.WaitAsync(atMost, cancellationToken);

        internal void Hear()
        {
            try
            {
                _heard.Release();
            }
            catch (ObjectDisposedException)
            {
                // The caller stopped listening as the answer came; it has its answer or has been told to ask later.
            }
        }

        public void Dispose()
        {
            _owner._listeners.TryRemove(KeyValuePair.Create(Key, this));
            _heard.Dispose();
        }
    }
}
