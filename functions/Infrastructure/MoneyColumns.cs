using System.Globalization;
using Azure.Data.Tables;

namespace Partnership.Functions.Infrastructure;

/// <summary>Table Storage numbers are doubles, so money is stored as invariant decimal text and read back exactly.</summary>
public static class MoneyColumns
{
    public static string Write(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static decimal Read(TableEntity row, string column)
    {
        ArgumentNullException.ThrowIfNull(row);
        return decimal.Parse(row.GetString(column), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }
}
