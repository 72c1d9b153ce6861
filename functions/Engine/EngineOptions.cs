using System.ComponentModel.DataAnnotations;

namespace Partnership.Functions.Engine;

/// <summary>How the Durable Task engine runs in this process: its task hub on the app's storage account, and how quickly it looks for work.</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>The task hub; every process that names the same one on the same account shares its bids.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "Engine:TaskHub is 3 to 45 letters and digits, starting with a letter.")]
    public string? TaskHub { get; set; }

    /// <summary>Control queues the bids are spread over; each worker process leases some of them.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// The longest the provider waits between looks at an empty queue. Short, so a person who clicks a button is
    /// answered at once; each look is one storage call per queue.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a worker's hold on its share of the bids lasts unrenewed: after a worker dies, how long until
    /// another takes its bids over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:05:00")]
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a message a worker took stays hidden from the others: after a worker dies holding one, how long
    /// until another carries it out. Longer than any one step or effect takes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a command sent over HTTP waits for its bid to apply it before the caller is given a status URL instead.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan AnswerWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first retry of a failed effect; each later one waits twice as long, up to five minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan EffectFirstRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an effect is tried before it is recorded as failed for the coordinator to see.</summary>
    [Range(1, 20)]
    public int EffectAttempts { get; set; } = 5;

    /// <summary>
    /// False for a process that serves pages and the API only: it still sends commands to the task hub, and the
    /// worker processes (the Functions app in Azure) carry them out.
    /// </summary>
    public bool RunWorker { get; set; } = true;
}
