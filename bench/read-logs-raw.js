#!/usr/bin/env node
// The ceiling for any Node reader of container logs: a process that reads the same Engine API
// endpoint as logs-all (`/containers/{id}/logs?timestamps=1` on the local socket) and throws the bytes
// away. bench/monitor.ts times it beside `docker logs` and logs-all.
// Usage: node bench/read-logs-raw.js CONTAINER...
import { connect } from 'node:net';

const socketPath = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');

function readLogs(container) {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let bytes = 0;
    socket.on('data', (chunk) => {
      bytes += chunk.length;
    });
    socket.on('end', () => resolve(bytes));
    socket.on('error', reject);
    socket.write(
      `GET /containers/${encodeURIComponent(container)}/logs?stdout=1&stderr=1&timestamps=1 HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n`,
    );
  });
}

const sizes = await Promise.all(process.argv.slice(2).map(readLogs));
process.stdout.write(`${sizes.reduce((sum, size) => sum + size, 0)} bytes\n`);
