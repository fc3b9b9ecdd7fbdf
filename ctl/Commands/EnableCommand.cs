namespace Tinyinit.Ctl.Commands;

internal static class EnableCommand
{
    public static int Run(CtlContext context)
    {
        context.Error("enable/disable: not implemented yet");
        return 1;
    }
}
