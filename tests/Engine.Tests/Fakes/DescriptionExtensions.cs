namespace Tinyinit.Engine.Tests.Fakes;

internal static class DescriptionExtensions
{
    /// <summary>Gives a process service a readiness pipe (so STARTING lasts until it reports).</summary>
    public static ServiceDescription WithReadiness(this ServiceDescription description)
    {
        description.ReadyNotification = new ReadyNotification(ReadyNotificationKind.PipeFd, 3, null);
        return description;
    }

    public static ServiceDescription With(this ServiceDescription description, ServiceOptions options)
    {
        description.Options |= options;
        return description;
    }
}
