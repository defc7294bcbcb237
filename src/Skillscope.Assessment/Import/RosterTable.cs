namespace Skillscope.Assessment.Import;

/// <summary>The roster tables an import writes.</summary>
public enum RosterTable
{
    Districts,
    Schools,
    Teachers,
    Classes,
    Students,
}
