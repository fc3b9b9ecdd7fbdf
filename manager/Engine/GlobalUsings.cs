// The service vocabulary (states, stop reasons, shutdown types) is shared with the control protocol.
global using Tinyinit.Protocol;
