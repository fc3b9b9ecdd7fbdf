namespace Tinyinit.Engine;

/// <summary>What a service's single timer is currently armed for.</summary>
internal enum TimerPurpose : byte { None, StartTimeout, StopTimeout, RestartDelay, KillAllGrace, Watchdog }
