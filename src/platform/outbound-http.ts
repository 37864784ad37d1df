import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import type { Logger } from './logger.js';

/** What staff see when a request to an address they entered fails; the reason goes to the log only. */
export const OUTBOUND_FAILURE = 'Could not reach the receiver';

/** A failed outbound request. Its message is always OUTBOUND_FAILURE, so it cannot be used to probe a network. */
export class OutboundError extends Error {
  constructor() { super(OUTBOUND_FAILURE); }
}

/** Whether an OUTBOUND_ALLOW_HOSTS entry is an IP address or a CIDR range (otherwise it is a host name). */
export function isAddressOrRange(entry: string): boolean {
  return isIP(entry) !== 0 || ipaddr.isValidCIDR(entry);
}

/**
 * Posts to addresses that agency staff typed in (case webhooks, Notify callbacks). The address is resolved
 * and checked when the connection is made, not only when it was saved, so a name that later resolves to an
 * inside address (DNS rebinding) is refused too: loopback, private, link-local (and so cloud metadata),
 * multicast, unspecified and other reserved ranges are refused unless the operator allowed them
 * (`OUTBOUND_ALLOW_HOSTS`). Redirects are never followed: a 3xx is just an answer.
 */
export class OutboundHttp {
  private readonly guarded: { http: http.Agent; https: https.Agent };
  private readonly open = { http: new http.Agent(), https: new https.Agent() };
  private readonly allowedNames: Set<string>;

  constructor(allowHosts: readonly string[], private readonly log: Logger) {
    const allowIPAddressList = allowHosts.filter(isAddressOrRange);
    this.allowedNames = new Set(allowHosts.filter((entry) => !isAddressOrRange(entry)).map((name) => name.toLowerCase()));
    this.guarded = { http: new RequestFilteringHttpAgent({ allowIPAddressList }), https: new RequestFilteringHttpsAgent({ allowIPAddressList }) };
  }

  /** POSTs a body and resolves with the answer's status code; throws OutboundError when there is no answer. */
  async post(url: string, request: { headers: Record<string, string>; body: string; timeoutMs?: number }): Promise<number> {
    let target: URL;
    try { target = new URL(url); } catch { throw this.failed(url, new Error('not a URL')); }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw this.failed(url, new Error(`protocol ${target.protocol} is not allowed`));
    const scheme = target.protocol === 'https:' ? 'https' : 'http';
    // An operator-allowed name may resolve anywhere; everything else goes through the filtering agent.
    const agent = this.allowedNames.has(target.hostname.toLowerCase()) ? this.open[scheme] : this.guarded[scheme];
    const send = scheme === 'https' ? https.request : http.request;
    return new Promise<number>((resolve, reject) => {
      const outgoing = send(target, {
        method: 'POST', agent, signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', (error) => reject(this.failed(url, error)));
      outgoing.end(request.body);
    });
  }

  private failed(url: string, error: Error): OutboundError {
    let host = '';
    try { host = new URL(url).host; } catch { host = '(not a URL)'; }
    this.log.warn({ host, reason: error.message }, 'outbound request failed');
    return new OutboundError();
  }
}
