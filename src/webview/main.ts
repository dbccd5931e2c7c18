// The chat panel's script; the host's messages arrive through acquireVsCodeApi.
export {};
