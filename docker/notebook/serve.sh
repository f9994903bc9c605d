#!/bin/sh
# Prints Jupyter's start-up lines (on stderr, as Jupyter does) and serves: /lab/ answers with the
# token, /work/ is the mounted work folder, /env.txt shows RESERO_JUPYTER_DIFFS.
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p /www/lab /home/jovyan/work
echo "token $token" > /www/lab/index.html
echo "RESERO_JUPYTER_DIFFS=${RESERO_JUPYTER_DIFFS-unset}" > /www/env.txt
ln -s /home/jovyan/work /www/work
log() { echo "[I $(date +%H:%M:%S.000) ServerApp] $*" >&2; }
log "Serving notebooks from local directory: /home/jovyan"
log "Jupyter Server is running at:"
log "http://$(hostname):8888/lab?token=$token"
log "    http://127.0.0.1:8888/lab?token=$token"
log "Use Control-C to stop this server and shut down all kernels (twice to skip confirmation)."
exec httpd -f -p 8888 -h /www
