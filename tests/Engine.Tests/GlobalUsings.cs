global using Tinyinit.Engine.Tests.Fakes;
global using Tinyinit.Loader;
global using Tinyinit.Protocol;
