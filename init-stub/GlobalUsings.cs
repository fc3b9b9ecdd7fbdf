// The shutdown types are the control protocol's (Tinyinit.Protocol vocabulary).
global using Tinyinit.Protocol;
