// tinyinit: PID 1. Startup prepares everything (and re-executes once with signals blocked);
// InitLoop is the whole life of PID 1 after that.
return Tinyinit.Init.Startup.Run(args);
