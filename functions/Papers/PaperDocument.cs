using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Papers;

/// <summary>
/// Writes a board paper into a copy of the template kept in the build (<c>Data/board-paper-template.docx</c>): its
/// styles, page and footer stay as a coordinator styled them, and its body is replaced by the paper. The parts a
/// coordinator writes by hand (introduction, proposed action) are headed sections of editable text; every figure
/// comes from the data.
/// </summary>
public static class PaperDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private const string TemplateFile = "board-paper-template.docx";

    public static byte[] Budget(BudgetPaperFigures figures, string boardName)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return Write(boardName, "Partnership Budget", figures.Meeting, body =>
        {
            body.Heading("Introduction");
            body.Editable("Write the introduction here: where the budget comes from and what has changed since the last paper.");
            body.Para("The following outlines the unallocated Partnership budget, broken down by budget line.");

            body.Caption("Table 1");
            var table1 = figures.Table1;
            body.Table(
                ["Budget line", "Unallocated revenue", "Unallocated capital"],
                [.. table1.Lines.Select(l => new[] { l.Line, Money.Pounds(l.Unallocated.Revenue), Money.Pounds(l.Unallocated.Capital) })],
                numeric: [1, 2],
                total: ["TOTAL", Money.Pounds(table1.TotalUnallocated.Revenue), Money.Pounds(table1.TotalUnallocated.Capital)]);
            foreach (var setAside in table1.SetAsides)
            {
                body.Note($"{Display.Pounds(setAside.Amount)} of {setAside.Line} is set aside for {setAside.Purpose}. It is in addition to the unallocated amounts in the table above.");
            }

            body.Para($"Table 1 shows a total unallocated budget of {Money.Pounds(table1.TotalUnallocated.Revenue)} revenue and {Money.Pounds(table1.TotalUnallocated.Capital)} capital.");

            body.Heading("Proposed action");
            var agenda = figures.Agenda;
            if (agenda.Items.Count == 0)
            {
                body.Para("No HCE recommendation is waiting for the Board.");
            }
            else
            {
                body.Para("To allocate the under spend towards the following recommended HCE proposals:");
                body.Table(
                    ["Amount", "Proposal", "Budget line proposed"],
                    [.. agenda.Items.Select(i => new[] { Amount(i.Amount), $"{i.Title} ({i.Organisation}). {i.Summary}", i.LineName ?? "None proposed" })],
                    numeric: [0]);

                body.Caption("Table 1 if the Board agrees every recommendation");
                var outlook = agenda.Outlook;
                var rows = outlook.Lines.Select(l => new[] { l.Line.Name, Money.Pounds(l.After.Revenue), Money.Pounds(l.After.Capital) }).ToList();
                if (outlook.WithoutLine.Count > 0)
                {
                    rows.Add(["No line proposed", Money.Pounds(-outlook.WithoutLine.Sum(p => p.Amount.Revenue)), Money.Pounds(-outlook.WithoutLine.Sum(p => p.Amount.Capital))]);
                }

                body.Table(
                    ["Budget line", "Revenue left", "Capital left"],
                    rows,
                    numeric: [1, 2],
                    total: ["TOTAL", Money.Pounds(outlook.TotalAfter.Revenue), Money.Pounds(outlook.TotalAfter.Capital)]);
                var shortfalls = outlook.Shortfalls();
                if (shortfalls.Count == 0)
                {
                    body.Para("The budget can meet every recommendation.");
                }
                else
                {
                    body.Para("The budget cannot meet every recommendation as proposed:");
                    foreach (var shortfall in shortfalls)
                    {
                        body.Para(shortfall);
                    }
                }
            }

            body.Heading("What are you asking the Partnership Board to do");
            body.Editable("Agree the recommended allocations.");
            body.Heading("Summary of the issue");
            body.Editable("Write the summary of the issue here.");
        });
    }

    public static byte[] Progress(ProgressPaperFigures figures, string boardName)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return Write(boardName, "Progress report", figures.Meeting, body =>
        {
            body.Heading("Introduction");
            body.Editable("Write the introduction here.");
            body.Heading("Proposed action");
            body.Editable("That the report concerning monitoring is noted.");
            body.Heading("What are you asking the Partnership Board to do");
            body.Editable("Note and agree the report as appropriate.");

            body.Heading($"Appendix 1: spend in {figures.FinancialYear}");
            foreach (var missing in figures.Missing)
            {
                body.Para(missing.Sentence);
            }

            if (figures.Spend.Count == 0)
            {
                body.Para("No funded project has made a return yet.");
            }
            else
            {
                body.Table(
                    ["Project", "Total grant awarded", .. figures.Quarters, "Total spend to date", "Identified underspend"],
                    [.. figures.Spend.Select(s => (string[])
                    [
                        s.Completed ? $"{s.Row.Project} (completed)" : s.Row.Project,
                        Money.Pounds(s.Row.Awarded.Total),
                        .. s.Row.Quarters.Select(q => q.Amount is null ? "?" : q.IsActual ? Money.Pounds(q.Amount.Total) : $"{Money.Pounds(q.Amount.Total)} forecast"),
                        Money.Pounds(s.Row.SpendToDate.Total),
                        s.Row.IdentifiedUnderspend is { } underspend ? Money.Pounds(underspend.Total) : "?",
                    ])],
                    numeric: [.. Enumerable.Range(1, figures.Quarters.Count + 3)],
                    shaded: [.. figures.Spend.Select(s => s.Completed)]);
                body.Note("The schemes shaded have been completed. A quarter's figure is the actual spend once its return is in, otherwise the latest forecast; ? means none was given.");
            }

            body.Heading("Appendix 2: contract status");
            if (figures.Contracts.Count == 0)
            {
                body.Para("No grant is being contracted or monitored.");
            }
            else
            {
                body.Table(["Project", "Organisation", "Status"], [.. figures.Contracts.Select(c => new[] { c.Project, c.Organisation, c.Status })]);
            }

            body.Heading("Appendix 3: timescales and outcomes");
            foreach (var plan in figures.Plans)
            {
                body.SubHeading($"{plan.Project} ({plan.Organisation})");
                if (plan.Milestones.Count > 0)
                {
                    body.Table(
                        ["Timescale", "Milestone", "RAG"],
                        [.. plan.Milestones.Select(m => new[] { m.Timescale, m.Achievement, m.Rating is { } rating ? Rag(rating, m.Comment) : "Not yet reported" })]);
                }

                if (plan.Outcomes.Count > 0)
                {
                    body.Table(
                        ["Outcome", "Measure", "Baseline", "Target", "By"],
                        [.. plan.Outcomes.Select(o => new[] { o.Description, o.Measure, o.Baseline ?? "", o.Target ?? "", o.By is { } by ? by.ToString("MMMM yyyy", Display.British) : "" })]);
                }
            }

            body.Heading("Appendix 4: the partnership's outcome measures");
            if (figures.Measures.Count == 0)
            {
                body.Para("No outcome measure has been set up yet.");
            }
            else
            {
                body.Table(
                    ["Priority", "Outcome measure", "Baseline", .. figures.MeasureYears, "Partners", "Lead"],
                    [.. figures.Measures.Select(m => (string[])
                    [
                        m.Priority,
                        $"{m.Id} {m.Title}",
                        m.Baseline is { } baseline ? $"{Display.Figure(baseline)} ({m.BaselineYear})" : "",
                        .. m.Years.Select(Year),
                        m.Partners,
                        m.Leads,
                    ])]);
                body.Note("Each year shows its target, the figure given so far and its rating by the rule set for the measure; an empty cell has neither target nor figure yet.");
            }

            body.Heading("Variations");
            body.Para($"Variations agreed since {Display.Date(figures.VariationsSince)}:");
            if (figures.Variations.Count == 0)
            {
                body.Para("None.");
            }

            foreach (var variation in figures.Variations)
            {
                body.SubHeading(variation.Project);
                body.Para($"Agreed on {Display.Date(variation.AgreedOn)}: {Kind(variation.Kind)}. {variation.Reason}");
            }
        });
    }

    /// <summary>A meeting's decisions record: attendance, then each item with its minute, motion, outcome and who took no part and why.</summary>
    public static byte[] Decisions(IReadOnlyList<Governance.MinutedItem> items, string bodyName, DateOnly held)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Write(bodyName, "Record of decisions", held, body =>
        {
            body.Heading("Attendance");
            body.Para(items.Count == 0 ? "No decision was recorded at this meeting." : string.Join("; ", items.SelectMany(i => i.Attended).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + ".");
            body.Heading("Decisions");
            if (items.Count > 0)
            {
                body.Table(
                    ["Minute", "Item", "Motion", "Decision", "Took no part"],
                    [.. items.Select(i => new[] { i.Minute, $"{i.Bid} ({i.Applicant})", i.Motion, Display.MeetingOutcome(i.Outcome), i.TookNoPart.Count == 0 ? "None" : string.Join("; ", i.TookNoPart) })],
                    numeric: []);
            }

            body.Heading("Declarations of interest");
            body.Editable("Members with an interest in an item took no part in it, as the table shows. Add anything the meeting noted here.");
        });
    }

    private static byte[] Write(string boardName, string title, DateOnly meeting, Action<PaperBody> write)
    {
        using var stream = new MemoryStream();
        using (var template = EmbeddedData.Open(TemplateFile))
        {
            template.CopyTo(stream);
        }

        using (var document = WordprocessingDocument.Open(stream, true))
        {
            var body = document.MainDocumentPart!.Document!.Body!;
            var section = body.Elements<SectionProperties>().LastOrDefault()?.CloneNode(true);
            body.RemoveAllChildren();
            var paper = new PaperBody(body);
            paper.Styled("Title", boardName);
            paper.Styled("Subtitle", title);
            paper.Styled("PaperDate", Display.Date(meeting));
            write(paper);
            if (section is not null)
            {
                body.Append(section);
            }

            document.PackageProperties.Title = $"{title}, {Display.Date(meeting)}";
            document.PackageProperties.Creator = "Partnership Funds";
        }

        return stream.ToArray();
    }

    private static string Amount(Funding amount) => amount switch
    {
        { Capital: 0m } => Money.Pounds(amount.Revenue),
        { Revenue: 0m } => $"{Money.Pounds(amount.Capital)} capital",
        _ => $"{Money.Pounds(amount.Revenue)} revenue and {Money.Pounds(amount.Capital)} capital",
    };

    private static string Year(MeasureYear year) => string.Join("; ", new[]
    {
        year.Target is { } target ? $"Target {Display.Figure(target)}" : null,
        year.Actual is { } actual ? $"figure {Display.Figure(actual)}" : null,
        year.Rating?.ToString(),
    }.OfType<string>());

    private static string Rag(Rag rating, string? comment) => comment is null ? rating.ToString() : $"{rating}: {comment}";

    private static string Kind(VariationKind kind) => kind switch
    {
        VariationKind.ChangeAward => "the award changed",
        VariationKind.MoveUnderspend => "underspend moved to another project",
        VariationKind.ChangeBudgetLine => "paid from another budget line",
        VariationKind.ChangeEndDate => "the end date changed",
        _ => "the milestones changed",
    };

    /// <summary>The paper's body as it is written, in the template's styles.</summary>
    private sealed class PaperBody(Body body)
    {
        public void Styled(string style, string text) =>
            body.Append(new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = style }), TextRun(text)));

        public void Heading(string text) => Styled("Heading1", text);

        public void SubHeading(string text) => Styled("Heading2", text);

        public void Caption(string text) => Styled("TableCaption", text);

        public void Editable(string text) => Styled("EditableText", text);

        public void Note(string text) => Styled("TableNote", text);

        public void Para(string text) => body.Append(new Paragraph(TextRun(text)));

        /// <summary>A table in the template's Paper table style: a header row that repeats on each page, then the rows, then any total.</summary>
        public void Table(IReadOnlyList<string> headings, List<string[]> rows, IReadOnlyCollection<int>? numeric = null, string[]? total = null, IReadOnlyList<bool>? shaded = null)
        {
            numeric ??= [];
            var table = new Table(new TableProperties(
                new TableStyle { Val = "PaperTable" },
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableLook { FirstRow = true, LastRow = total is not null, NoHorizontalBand = true, NoVerticalBand = true }),
                new TableGrid(headings.Select(_ => new GridColumn())));
            table.Append(Row(headings, numeric, header: true));
            for (var i = 0; i < rows.Count; i++)
            {
                table.Append(Row(rows[i], numeric, shade: shaded is not null && shaded[i]));
            }

            if (total is not null)
            {
                table.Append(Row(total, numeric));
            }

            body.Append(table);
            body.Append(new Paragraph(new ParagraphProperties(new SpacingBetweenLines { After = "0" })));
        }

        private static TableRow Row(IReadOnlyList<string> cells, IReadOnlyCollection<int> numeric, bool header = false, bool shade = false)
        {
            var row = new TableRow();
            if (header)
            {
                row.Append(new TableRowProperties(new TableHeader(), new CantSplit()));
            }

            for (var i = 0; i < cells.Count; i++)
            {
                var properties = new TableCellProperties();
                if (shade)
                {
                    properties.Append(new Shading { Val = ShadingPatternValues.Clear, Fill = "D9D9D9" });
                }

                var paragraph = new Paragraph(new ParagraphProperties(
                    new ParagraphStyleId { Val = "TableText" },
                    new Justification { Val = numeric.Contains(i) && !header ? JustificationValues.Right : JustificationValues.Left }));
                paragraph.Append(TextRun(cells[i]));
                row.Append(new TableCell(properties, paragraph));
            }

            return row;
        }

        private static Run TextRun(string text) => new(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
    }
}
