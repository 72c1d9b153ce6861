using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests;

public class DefinitionTests
{
    [Fact]
    public void A_bid_started_under_version_1_keeps_its_rules_after_version_2_becomes_current()
    {
        var v1 = Workflow.Decide(Draft(definitionVersion: 1), new Submit(Applicant), Now).Accept();
        Assert.Equal(BidStage.Submitted, v1.State.Stage);

        var screening = Workflow.Decide(v1.State, new StartScreening(Coordinator), Now.AddDays(1)).Accept();
        Assert.Equal(BidStage.Screening, screening.State.Stage);
        Assert.Equal(1, screening.State.DefinitionVersion);
        Assert.Contains(v1.State.Timers, t => t.Stage == BidStage.Submitted);
        Assert.Equal(v1.State.Timers.Select(t => t.Id).ToHashSet(), screening.Effects.OfType<CancelTimer>().Select(c => c.TimerId).ToHashSet());

        var started = BidWorkflow.Start(new StartBid(Applicant, "new", "fund", Organisation, Proposal), Now).Accept();
        Assert.Equal(BidWorkflowDefinition.CurrentVersion, started.State.DefinitionVersion);
        var v2 = Workflow.Decide(started.State with { Documents = Draft().Documents }, new Submit(Applicant), Now).Accept();
        Assert.Equal(BidStage.Screening, v2.State.Stage);
        var refused = Workflow.Decide(v2.State with { Stage = BidStage.Submitted }, new StartScreening(Coordinator), Now).Refuse();
        Assert.Contains($"not part of version {BidWorkflowDefinition.CurrentVersion}", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_transition_states_its_roles_guard_records_and_stages()
    {
        foreach (var transition in BidWorkflowDefinition.All.SelectMany(d => d.Transitions))
        {
            Assert.NotEmpty(transition.Roles);
            Assert.NotEmpty(transition.From);
            Assert.False(string.IsNullOrWhiteSpace(transition.Guard), transition.Trigger);
            Assert.NotEmpty(transition.Records);
            Assert.False(string.IsNullOrWhiteSpace(transition.Action), transition.Trigger);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_committed_diagram_matches_the_definition(int version)
    {
        var path = Path.Combine(RepositoryRoot(), "workflows", "Bids", $"bid-workflow.v{version}.mmd");
        var generated = BidWorkflowDefinition.ForVersion(version).ToMermaid();
        if (Environment.GetEnvironmentVariable("UPDATE_DIAGRAMS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_DIAGRAMS=1 to write it.");
        Assert.True(File.ReadAllText(path) == generated, $"{path} has drifted from the definition; run the tests with UPDATE_DIAGRAMS=1 and commit the result.");
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Partnership.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository.");
    }
}
