import { Router } from 'express';
import { callbackPage, type OAuthService } from '../../oauth/index.js';
import type { OAuthDiscoverResult, OAuthProviderView, OAuthStatus, OAuthTemplate } from '../../../shared/schemas/index.js';
import { crudRouter } from './crud.js';
import { takesNoBody } from '../no-body.js';

/**
 * The OAuth Operations, OAuth Providers and OAuth Callback sections of the reference, and the
 * downstream OAuth endpoints: thin adapters over `OAuthService` (errors map in error-map.ts).
 * `GET /oauth/callback` is public (no API token; app.ts) and answers HTML, 200 or 400.
 */
export function oauthRouter(oauth: OAuthService): Router {
  const router = Router();
  router.post('/oauth-providers/discover', async (req, res) => void res.json((await oauth.discover(req.body)) satisfies OAuthDiscoverResult));
  router.use('/oauth-providers', crudRouter<OAuthProviderView>(oauth.providers));
  router.get('/oauth-templates', (_req, res) => void res.json(oauth.templates() satisfies OAuthTemplate[]));
  router.get('/oauth/callback', async (req, res) => {
    const outcome = await oauth.callback(req.query);
    res
      .status(outcome.ok ? 200 : 400)
      .type('html')
      .set('cache-control', 'no-store')
      // Nothing may frame it (clickjacking a consent step), and the provider's URL with its query
      // (the code) is not sent on as a Referer: the page's headers match the dashboard page's.
      .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
      .set('x-frame-options', 'DENY')
      .set('referrer-policy', 'no-referrer')
      .send(callbackPage(outcome));
  });
  router.post('/auth-scopes/oauth-quick-setup', async (req, res) => void res.status(201).json(await oauth.quickSetup(req.body)));
  router.get('/auth-scopes/:id/oauth/authorize', async (req, res) => {
    const answer = await oauth.authorize(req.params.id!);
    if (req.query.redirect === 'true') res.redirect(302, answer.authorize_url);
    else res.json(answer);
  });
  router.get('/auth-scopes/:id/oauth/status', (req, res) => void res.json(oauth.status(req.params.id!) satisfies OAuthStatus));
  router.post('/auth-scopes/:id/oauth/revoke', takesNoBody, async (req, res) => {
    await oauth.revoke(req.params.id!);
    res.status(204).end();
  });
  router.get('/downstreams/:id/oauth-capabilities', async (req, res) => void res.json(await oauth.capabilities(req.params.id!)));
  router.post('/downstreams/:id/oauth-setup', async (req, res) => void res.json(await oauth.setup(req.params.id!, req.body)));
  router.get('/downstreams/:id/oauth-status', (req, res) => void res.json(oauth.serverStatus(req.params.id!)));
  router.post('/downstreams/:id/connect', async (req, res) => void res.json(await oauth.connect(req.params.id!, req.body)));
  return router;
}
