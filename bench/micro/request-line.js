// The fields of a request log line as the server writes them (serializeRequest in
// server/src/logging.ts), shared by the log micro-benchmarks.
exports.requestLine = {
  req: {
    id: '46ec5748-218a-475e-a5a8-1a813fb437f7',
    method: 'POST',
    url: '/notifications',
    remoteAddress: '127.0.0.1',
    headers: { host: 'localhost:3000', 'user-agent': 'bench', 'content-type': 'application/json', 'content-length': '120' },
  },
  res: { statusCode: 201 },
  responseTime: 3,
};
