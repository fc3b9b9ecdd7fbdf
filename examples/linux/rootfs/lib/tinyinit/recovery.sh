#!/bin/sh
# The boot failed: a root shell on the console to look at what went wrong.
echo "Boot failed: recovery shell. See tinyctl list; tinyctl start boot retries, tinyctl reboot restarts."
exec /bin/sh -i
