#!/bin/sh
# Tells the host (second serial port, ttyS1) that the system is ready for logins, and when:
# seconds since the kernel started (/proc/uptime).
read -r uptime _ < /proc/uptime
echo "VMTEST LOGINREADY $uptime" > /dev/ttyS1
