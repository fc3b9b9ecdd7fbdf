using Tinyinit.Ctl;

return Entry.Start(args, Environment.GetCommandLineArgs()[0]);
