namespace Tinyinit.Protocol.Control;

/// <summary>Why LOADSERVICE failed; selects the reply (control-protocol.md §6.3).</summary>
public enum LoadFailure
{
    None,
    /// <summary>The description file was not found → NOSERVICE.</summary>
    NotFound,
    /// <summary>An error in the service's own description → SERVICE_DESC_ERR.</summary>
    DescriptionError,
    /// <summary>Any other failure (dependency, cycle, I/O) → SERVICE_LOAD_ERR.</summary>
    LoadError,
}
