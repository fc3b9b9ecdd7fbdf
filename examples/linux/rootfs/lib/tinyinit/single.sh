#!/bin/sh
# Single-user mode: a root shell on the console before the system starts.
echo "Single-user mode: a root shell. Exit it (exit or Ctrl-D) to continue booting."
exec /bin/sh -i
