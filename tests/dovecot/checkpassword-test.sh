#!/bin/bash
# A minimal checkpassword password checker for the tests, in the role a PAM checker plays in
# production: reads user\0password\0 from fd 3, accepts the password "secret" for any Unix
# account, sets USER and HOME, and execs the next program (the hook, then the reply program).
IFS= read -r -d '' user <&3 || exit 2
IFS= read -r -d '' password <&3 || exit 2
exec 3<&-
[ "$password" = "secret" ] || exit 1
entry=$(getent passwd "$user") || exit 1
home=$(printf '%s' "$entry" | cut -d: -f6)
export USER="$user" HOME="$home"
exec "$@"
