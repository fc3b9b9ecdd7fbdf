using Tinyinit.Loader;

namespace Tinyinit.Engine;

/// <summary>
/// One dependency link from a dependent (<see cref="From"/>) to a dependency (<see cref="To"/>),
/// with the two flags of semantics.md §1: <see cref="Holding"/> (From counts in
/// To.RequiredBy) and <see cref="WaitingOn"/> (From waits for To to finish starting).
/// </summary>
public sealed class ServiceLink
{
    internal ServiceLink(ServiceRecord from, ServiceRecord to, DependencyType type, ServiceRecord declaredBy)
    {
        From = from;
        To = to;
        Type = type;
        DeclaredBy = declaredBy;
    }

    /// <summary>The service whose description (or add-dep) created the link: <see cref="From"/>,
    /// except for <c>before</c>, which the earlier service declares.</summary>
    internal ServiceRecord DeclaredBy { get; }

    public ServiceRecord From { get; }
    public ServiceRecord To { get; internal set; }
    public DependencyType Type { get; }
    public bool Holding { get; internal set; }
    /// <summary>Setting it keeps <see cref="From"/>'s count of waited-on links, so a
    /// service with many dependencies checks readiness in constant time.</summary>
    public bool WaitingOn
    {
        get => waitingOn;
        internal set
        {
            if (waitingOn == value) return;
            waitingOn = value;
            From.waitingOnCount += value ? 1 : -1;
        }
    }

    private bool waitingOn;

    /// <summary>before/after: never holding, never propagating failure.</summary>
    public bool IsOrderingOnly => Type is DependencyType.Before or DependencyType.After;

    /// <summary>depends-on, prepared-by, and a milestone that has not yet been reached.</summary>
    public bool IsHard => Type is DependencyType.Regular or DependencyType.PreparedBy
        || (Type == DependencyType.Milestone && WaitingOn);

    /// <summary>Types whose failure fails a starting dependent (§4).</summary>
    internal bool PropagatesFailure => Type is DependencyType.Regular or DependencyType.PreparedBy or DependencyType.Milestone;

    /// <summary>Soft: neither hard nor ordering-only (waits-for, satisfied milestone).</summary>
    internal bool IsSoft => !IsOrderingOnly && !IsHard;

    public override string ToString() => $"{From.Name} -{Type}-> {To.Name}";
}
