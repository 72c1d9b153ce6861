using Partnership.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPartnershipFunctions();

var app = builder.Build();
app.UsePartnershipFunctions();
app.Run();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
