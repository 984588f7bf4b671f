<?cs # The consent page (GET /consent; the form posts back to it).
       Reads: Page.Action, Page.Req, Page.Csrf, Client.Name, Client.LogoUri,
       Client.TosUri and Client.PolicyUri (optional), Client.Unverified ("1" for a
       dynamically registered client, whose name, logo and links nobody checked),
       User.Name (optional), and the scopes asked for: Scopes.0.Name,
       Scopes.0.Description (optional: the name is shown without one), Scopes.1...
       The form posts req, csrf and decision=allow or decision=deny. ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.Consent.Title ?><?cs /if ?><?cs
set:Page.Name = "consent" ?><?cs
if:Client.Name ?><?cs set:Page.App = Client.Name ?><?cs
else ?><?cs set:Page.App = Lang.Common.UnnamedApp ?><?cs /if ?><?cs
def:content() ?>
<?cs call:client_logo() ?><h1><?cs call:fill(Lang.Consent.Heading, "{app}", Page.App) ?></h1>
<?cs if:User.Name ?><p class="subtitle signed-in-as"><?cs call:fill(Lang.Common.SignedInAs, "{user}", User.Name) ?></p>
<?cs /if ?><?cs
if:Client.Unverified == "1" ?><div class="alert alert-warning" role="note">
<p class="alert-title"><?cs var:Lang.Consent.Unverified ?></p>
<p><?cs call:fill(Lang.Consent.UnverifiedText, "{site}", Lang.SiteName) ?></p>
</div>
<?cs /if ?><?cs
if:subcount(Scopes) > 0 ?><p class="scopes-intro"><?cs var:Lang.Consent.ScopesIntro ?></p>
<ul class="scopes">
<?cs each:scope = Scopes ?><li><?cs
  if:string.length(scope.Description) > 0 ?><?cs var:scope.Description ?><?cs
  else ?><code><?cs var:scope.Name ?></code><?cs /if ?></li>
<?cs /each ?></ul>
<?cs else ?><p class="scopes-intro"><?cs call:fill(Lang.Consent.NoScopes, "{app}", Page.App) ?></p>
<?cs /if ?><?cs
call:check_url(Client.TosUri) ?><?cs set:Page.TosOk = Page.UrlOk ?><?cs
call:check_url(Client.PolicyUri) ?><?cs set:Page.PolicyOk = Page.UrlOk ?><?cs
if:Page.TosOk || Page.PolicyOk ?><p class="client-links-intro"><?cs var:Lang.Consent.LinksIntro ?></p>
<ul class="client-links"><?cs
  if:Page.TosOk ?>
<li><a href="<?cs var:Client.TosUri ?>" target="_blank" rel="noopener noreferrer"><?cs var:Lang.Consent.Terms ?><span class="visually-hidden"> <?cs var:Lang.Common.NewTab ?></span></a></li><?cs
  /if ?><?cs
  if:Page.PolicyOk ?>
<li><a href="<?cs var:Client.PolicyUri ?>" target="_blank" rel="noopener noreferrer"><?cs var:Lang.Consent.Privacy ?><span class="visually-hidden"> <?cs var:Lang.Common.NewTab ?></span></a></li><?cs
  /if ?>
</ul>
<?cs /if ?><p class="hint"><?cs var:Lang.Consent.Note ?></p>
<form method="post" action="<?cs var:Page.Action ?>">
<?cs if:Page.Req ?><input type="hidden" name="req" value="<?cs var:Page.Req ?>">
<?cs /if ?><input type="hidden" name="csrf" value="<?cs var:Page.Csrf ?>">
<div class="actions">
<button type="submit" name="decision" value="deny" class="button button-secondary"><?cs var:Lang.Consent.Deny ?></button>
<button type="submit" name="decision" value="allow" class="button button-primary"><?cs var:Lang.Consent.Allow ?></button>
</div>
</form>
<?cs /def ?><?cs
include:"layout.cs" ?>
