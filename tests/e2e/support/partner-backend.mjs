// A partner's backend, as small as one can be: it holds the API key (never
// the browser), creates an onboarding session for a new worker, hands out the
// link, and later reads the outcome. This is the employer onboarding page's
// server side. Node's fetch, plain HTTP on loopback.

export class PartnerBackend {
  constructor(registryUrl, apiKey) {
    this.registryUrl = registryUrl;
    this.apiKey = apiKey;
  }

  async call(method, path, body) {
    const response = await fetch(`${this.registryUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  /** A session for one new worker: `{ session_id, session_token, link, expires_at }`. */
  async createSession(partnerReference) {
    const answer = await this.call("POST", "/v2/sessions", { partner_reference: partnerReference });
    if (answer.status !== 201) throw new Error(`session not created: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** The session's status and, once completed, the identity. */
  async outcome(sessionId) {
    return this.call("GET", `/v2/sessions/${encodeURIComponent(sessionId)}`);
  }
}
