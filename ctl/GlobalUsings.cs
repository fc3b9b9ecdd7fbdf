// The service vocabulary (states, stop reasons, shutdown types) shared with the manager.
global using Tinyinit.Protocol;
