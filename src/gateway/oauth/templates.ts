import type { OAuthTemplate } from '../../shared/schemas/index.js';

/** A built-in template as stored here: the wire fields but `callback_url`, plus what a provider made from it inherits. */
export interface TemplateDefinition extends Omit<OAuthTemplate, 'callback_url'> {
  revocation_url?: string;
  userinfo_url?: string;
  /** Extra authorize-URL parameters the provider needs (e.g. Google's `access_type=offline`). */
  extra_params?: Record<string, string>;
}

// Sorted by id (the original answered in Go map order, which changed between calls). Endpoints are
// the providers' documented ones; `supports_auto_discovery` means their hosted MCP server offers
// dynamic client registration, so no app of one's own is needed.
const TEMPLATES: readonly TemplateDefinition[] = [
  {
    id: 'atlassian',
    name: 'Atlassian (Jira, Confluence)',
    authorize_url: 'https://auth.atlassian.com/authorize',
    token_url: 'https://auth.atlassian.com/oauth/token',
    scopes: ['read:jira-work', 'write:jira-work', 'read:jira-user', 'read:confluence-content.all', 'offline_access'],
    use_pkce: true,
    needs_secret: true,
    supports_auto_discovery: true,
    setup_url: 'https://developer.atlassian.com/console/myapps/',
    help_text: 'Create an OAuth 2.0 (3LO) app, add the callback URL, and grant it the Jira/Confluence scopes you need.',
    extra_params: { audience: 'api.atlassian.com', prompt: 'consent' },
  },
  {
    id: 'clickup',
    name: 'ClickUp',
    authorize_url: 'https://app.clickup.com/api',
    token_url: 'https://api.clickup.com/api/v2/oauth/token',
    scopes: [],
    use_pkce: false,
    needs_secret: true,
    supports_auto_discovery: false,
    setup_url: 'https://app.clickup.com/settings/apps',
    help_text: 'Settings → Apps → Create new app; use the callback URL as the redirect URL.',
  },
  {
    id: 'github',
    name: 'GitHub',
    authorize_url: 'https://github.com/login/oauth/authorize',
    token_url: 'https://github.com/login/oauth/access_token',
    scopes: ['repo', 'read:org', 'gist', 'workflow', 'read:user', 'user:email', 'project'],
    use_pkce: true,
    needs_secret: true,
    supports_auto_discovery: false,
    setup_url: 'https://github.com/settings/developers',
    help_text: 'Settings → Developer settings → OAuth Apps → New OAuth App; set the authorization callback URL to the callback URL.',
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    authorize_url: 'https://gitlab.com/oauth/authorize',
    token_url: 'https://gitlab.com/oauth/token',
    scopes: ['api', 'read_user'],
    use_pkce: true,
    needs_secret: false,
    supports_auto_discovery: false,
    setup_url: 'https://gitlab.com/-/user_settings/applications',
    help_text: 'User settings → Applications → Add new application; a non-confidential app with PKCE needs no secret.',
    revocation_url: 'https://gitlab.com/oauth/revoke',
  },
  {
    id: 'google',
    name: 'Google',
    authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    token_url: 'https://oauth2.googleapis.com/token',
    scopes: ['openid', 'email', 'profile'],
    use_pkce: true,
    needs_secret: true,
    supports_auto_discovery: false,
    setup_url: 'https://console.cloud.google.com/apis/credentials',
    help_text: 'APIs & Services → Credentials → Create OAuth client ID (Web application); add the callback URL as an authorized redirect URI.',
    revocation_url: 'https://oauth2.googleapis.com/revoke',
    userinfo_url: 'https://openidconnect.googleapis.com/v1/userinfo',
    extra_params: { access_type: 'offline', prompt: 'consent' },
  },
  {
    id: 'linear',
    name: 'Linear',
    authorize_url: 'https://linear.app/oauth/authorize',
    token_url: 'https://api.linear.app/oauth/token',
    scopes: ['read', 'write'],
    use_pkce: true,
    needs_secret: false,
    supports_auto_discovery: true,
    setup_url: 'https://linear.app/settings/api/applications/new',
    help_text: 'Linear’s MCP server registers MCPlexer by itself (auto-discovery); an app of your own is optional.',
    revocation_url: 'https://api.linear.app/oauth/revoke',
  },
  {
    id: 'notion',
    name: 'Notion',
    authorize_url: 'https://api.notion.com/v1/oauth/authorize',
    token_url: 'https://api.notion.com/v1/oauth/token',
    scopes: [],
    use_pkce: false,
    needs_secret: true,
    supports_auto_discovery: true,
    setup_url: 'https://www.notion.so/profile/integrations',
    help_text: 'Create a public integration and add the callback URL as a redirect URI; Notion’s hosted MCP server also registers MCPlexer by itself.',
    extra_params: { owner: 'user' },
  },
  {
    id: 'slack',
    name: 'Slack',
    authorize_url: 'https://slack.com/oauth/v2_user/authorize',
    token_url: 'https://slack.com/api/oauth.v2.user.access',
    scopes: ['channels:history', 'channels:read', 'chat:write', 'users:read', 'search:read'],
    use_pkce: false,
    needs_secret: true,
    supports_auto_discovery: false,
    setup_url: 'https://api.slack.com/apps',
    help_text: 'Create an app → OAuth & Permissions: add the callback URL as a redirect URL and the user token scopes.',
  },
];

/** Every template, sorted by id, with `callback_url` (the gateway's callback as this request reaches it). */
export function listTemplates(callbackUrl: string): OAuthTemplate[] {
  return TEMPLATES.map(({ revocation_url: _r, userinfo_url: _u, extra_params: _e, ...wire }) => ({ ...wire, callback_url: callbackUrl }));
}

/** The template with this id (a server's namespace looks one up the same way), if any. */
export function findTemplate(id: string | undefined): TemplateDefinition | undefined {
  return id === undefined ? undefined : TEMPLATES.find((template) => template.id === id);
}

export const TEMPLATE_IDS: readonly string[] = TEMPLATES.map((template) => template.id);
