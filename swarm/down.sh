#!/usr/bin/env bash
# Removes stack "tictactoe" and waits until its services, containers, networks and configs are gone. Its volumes
# (Prometheus', Alertmanager's and Grafana's data), secrets (the passwords, and the webhook URL of up.sh --alerts-to)
# and the passwords up.sh kept stay for the next swarm/up.sh, unless --purge.
set -euo pipefail

STACK=tictactoe
SECRETS=(grafana_admin_password prometheus_password prometheus_web_config)
# Plus the webhook URLs of swarm/up.sh --alerts-to, one secret alertmanager_webhook_url_<time> each.
WEBHOOK_SECRETS=alertmanager_webhook_url_
VOLUMES=("${STACK}_prometheus-data" "${STACK}_alertmanager-data" "${STACK}_grafana-data")
# The app's tasks drain for up to stop_grace_period (30 s) before their containers go.
WAIT_SECONDS=${DOWN_WAIT_SECONDS:-120}
# Where swarm/up.sh keeps this swarm's passwords (its folder swarm-<cluster id>).
STATE_DIR=${XDG_STATE_HOME:-$HOME/.local/state}/tictactoe

usage() {
    cat <<EOF
Usage: swarm/down.sh [--purge]

  --purge     also remove the stack's volumes on this node (Prometheus', Alertmanager's and Grafana's data),
              its secrets (${SECRETS[*]}, ${WEBHOOK_SECRETS}*) and the passwords
              swarm/up.sh kept for them: the next swarm/up.sh starts with new passwords, no history, no
              silences and no webhook
  -h, --help  this text

Node labels and the tttapp images stay (docker image ls tttapp).
EOF
}

fail() {
    echo "down.sh: $*" >&2
    exit 1
}

purge=false
while [ $# -gt 0 ]; do
    case "$1" in
        --purge) purge=true ;;
        -h | --help) usage; exit 0 ;;
        *)
            echo "down.sh: unknown option: $1" >&2
            usage >&2
            exit 2
            ;;
    esac
    shift
done

command -v docker >/dev/null || fail "docker is missing: install docker.io (Debian) or Docker's docker-ce"
if ! engine_error=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
    fail "no Docker engine answers${DOCKER_HOST:+ at DOCKER_HOST=$DOCKER_HOST}: start it (systemctl start docker)" \
        "or point DOCKER_HOST at one ($(echo "$engine_error" | grep -v '^$' | head -n 1))"
fi
engine_state=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')
[ "$engine_state" = "active true" ] || fail "this engine is not a swarm manager (state: $engine_state): nothing to remove"

leftovers() {
    local filter=label=com.docker.stack.namespace=$STACK
    docker service ls -q --filter "$filter"
    docker ps -aq --filter "$filter"
    docker network ls -q --filter "$filter"
    docker config ls -q --filter "$filter"
}

if [ -n "$(docker service ls -q --filter label=com.docker.stack.namespace=$STACK)" ]; then
    echo "Removing stack $STACK"
    docker stack rm "$STACK" >/dev/null
else
    echo "No stack $STACK runs here"
fi
start=$SECONDS
while [ -n "$(leftovers)" ]; do
    [ $((SECONDS - start)) -lt "$WAIT_SECONDS" ] ||
        fail "the stack's services, containers, networks or configs are still there after $WAIT_SECONDS s:" \
            "docker service ls, docker ps -a, docker network ls, docker config ls"
    sleep 1
done
echo "Stack $STACK removed in $((SECONDS - start)) s; its services, containers, networks and configs are gone"

if [ "$purge" = true ]; then
    mapfile -t webhook_secrets < <(docker secret ls --format '{{.Name}}' | awk -v prefix="$WEBHOOK_SECRETS" \
        'index($0, prefix) == 1')
    for secret in "${SECRETS[@]}" "${webhook_secrets[@]}"; do
        if docker secret inspect "$secret" >/dev/null 2>&1; then
            docker secret rm "$secret" >/dev/null
            echo "Removed secret $secret"
        fi
    done
    passwords_dir=$STATE_DIR/swarm-$(docker info --format '{{.Swarm.Cluster.ID}}')
    if [ -d "$passwords_dir" ]; then
        rm -r "$passwords_dir"
        echo "Removed the passwords kept in $passwords_dir"
    fi
    for volume in "${VOLUMES[@]}"; do
        if docker volume inspect "$volume" >/dev/null 2>&1; then
            docker volume rm "$volume" >/dev/null
            echo "Removed volume $volume"
        fi
    done
    if [ "$(docker node ls -q | wc -l)" -gt 1 ]; then
        echo "Volumes are local: on the other nodes remove them there (docker volume rm ${VOLUMES[*]})"
    fi
else
    echo "Kept the volumes ${VOLUMES[*]}, the secrets ${SECRETS[*]} (and ${WEBHOOK_SECRETS}*, if any) and the" \
        "passwords swarm/up.sh kept for them (swarm/down.sh --purge removes them)"
fi
