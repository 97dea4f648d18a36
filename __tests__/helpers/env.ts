// jsforce sends all traffic through a proxy named in these variables and ignores NO_PROXY,
// which would route requests for 127.0.0.1 away from the embedded org.
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
