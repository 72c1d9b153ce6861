using System.Globalization;
using Microsoft.Extensions.Options;

namespace Partnership.Functions.Papers;

public sealed class PaperOptions
{
    public const string Section = "Papers";

    /// <summary>The body the papers go to, printed at the top of each, like "Harrow Strategic Partnership Board".</summary>
    [System.ComponentModel.DataAnnotations.Required]
    [System.ComponentModel.DataAnnotations.StringLength(200)]
    public string BoardName { get; set; } = "Partnership Board";
}

/// <summary>Makes a paper for a meeting from the figures as they stand, and stores it with them.</summary>
public sealed class PaperMaker(PaperFigures figures, PaperStore store, IOptions<PaperOptions> options, TimeProvider clock)
{
    /// <summary>Without an earlier progress report, the variations reported are those of the three months before the meeting.</summary>
    private const int MonthsOfVariationsAtFirst = 3;

    public async Task<StoredPaper> MakeAsync(PaperKind kind, DateOnly meeting, string madeBy, CancellationToken cancellationToken)
    {
        var madeAt = clock.GetUtcNow();
        var paper = new StoredPaper(
            string.Create(CultureInfo.InvariantCulture, $"{meeting:yyyy-MM-dd}-{kind.ToString().ToLowerInvariant()}-{madeAt:yyyyMMddHHmmss}-{Guid.NewGuid():N}"),
            kind, meeting, madeAt, madeBy);
        var boardName = options.Value.BoardName;
        if (kind == PaperKind.Budget)
        {
            var budget = await figures.BudgetAsync(null, meeting, cancellationToken);
            await store.SaveAsync(paper, PaperDocument.Budget(budget, boardName), budget, cancellationToken);
        }
        else
        {
            var since = (await store.ListAsync(cancellationToken)).Where(p => p.Kind == PaperKind.Progress && p.Meeting < meeting).Select(p => (DateOnly?)p.Meeting).Max()
                ?? meeting.AddMonths(-MonthsOfVariationsAtFirst);
            var progress = await figures.ProgressAsync(null, meeting, since, cancellationToken);
            await store.SaveAsync(paper, PaperDocument.Progress(progress, boardName), progress, cancellationToken);
        }

        return paper;
    }
}
