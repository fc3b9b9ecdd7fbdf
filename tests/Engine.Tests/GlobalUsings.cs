global using Tinyinit.Engine.Tests.Fakes;
global using Tinyinit.Loader;
