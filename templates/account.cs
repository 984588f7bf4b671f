<?cs # The connected-apps page (GET /account; each Remove form posts back to it).
       Reads: Page.Action, Page.Logout (the sign-out page), Page.Removed ("1" right after
       a removal), User.Name, and the apps: Grants.0.Id, Grants.0.Csrf,
       Grants.0.ClientName, Grants.0.LogoUri (optional, https), Grants.0.Created and
       Grants.0.CreatedIso (the day access was first allowed, and the exact time),
       Grants.0.Updated and Grants.0.UpdatedIso (optional: the last time scopes were
       added), Grants.0.Scopes.0.Name and Grants.0.Scopes.0.Description (optional),
       Grants.1...
       Each form posts grant and csrf. ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.Account.Title ?><?cs /if ?><?cs
set:Page.Name = "account" ?><?cs

# Like fill(), with a <time> element in place of the placeholder. ?><?cs
def:fill_time(message, placeholder, text, iso) ?><?cs
  set:Page.FillAt = string.find(message, placeholder) ?><?cs
  if:Page.FillAt >= 0 ?><?cs
    var:string.slice(message, 0, Page.FillAt) ?><time datetime="<?cs var:iso ?>"><?cs var:text ?></time><?cs
    var:string.slice(message, Page.FillAt + string.length(placeholder), string.length(message)) ?><?cs
  else ?><?cs
    var:message ?> <time datetime="<?cs var:iso ?>"><?cs var:text ?></time><?cs
  /if ?><?cs
/def ?><?cs

def:content() ?>
<h1><?cs var:Lang.Account.Heading ?></h1>
<?cs if:User.Name ?><p class="subtitle signed-in-as"><?cs call:fill(Lang.Common.SignedInAs, "{user}", User.Name) ?></p>
<?cs /if ?><?cs
if:Page.Removed == "1" ?><div class="alert alert-success" role="status"><p><?cs var:Lang.Account.Removed ?></p></div>
<?cs /if ?><?cs
if:subcount(Grants) > 0 ?><p class="hint"><?cs call:fill(Lang.Account.Intro, "{site}", Lang.SiteName) ?></p>
<ul class="apps">
<?cs each:g = Grants ?><li class="app">
<div class="app-head"><?cs
  set:Page.UrlOk = 0 ?><?cs
  if:string.slice(g.LogoUri, 0, 8) == "https://" ?><?cs set:Page.UrlOk = 1 ?><?cs /if ?><?cs
  if:Page.UrlOk ?><img class="app-logo" src="<?cs var:g.LogoUri ?>" alt="" width="44" height="44" referrerpolicy="no-referrer"><?cs
  else ?><span class="app-logo app-initial" aria-hidden="true"><?cs var:string.slice(g.ClientName, 0, 1) ?></span><?cs /if ?>
<div class="app-title"><h2 class="app-name"><?cs if:g.ClientName ?><?cs var:g.ClientName ?><?cs else ?><?cs var:Lang.Common.UnnamedApp ?><?cs /if ?></h2>
<p class="app-dates"><?cs call:fill_time(Lang.Account.AllowedOn, "{date}", g.Created, g.CreatedIso) ?><?cs
  if:g.Updated ?><span class="app-dates-sep" aria-hidden="true"> · </span><?cs call:fill_time(Lang.Account.UpdatedOn, "{date}", g.Updated, g.UpdatedIso) ?><?cs /if ?></p></div>
</div>
<?cs if:subcount(g.Scopes) > 0 ?><p class="app-can"><?cs var:Lang.Account.CanDo ?></p>
<ul class="scopes scopes-compact">
<?cs each:scope = g.Scopes ?><li><?cs
  if:string.length(scope.Description) > 0 ?><?cs var:scope.Description ?><?cs
  else ?><code><?cs var:scope.Name ?></code><?cs /if ?></li>
<?cs /each ?></ul>
<?cs /if ?><form method="post" action="<?cs var:Page.Action ?>">
<input type="hidden" name="grant" value="<?cs var:g.Id ?>">
<input type="hidden" name="csrf" value="<?cs var:g.Csrf ?>">
<button type="submit" class="button button-secondary button-danger"><?cs var:Lang.Account.Remove ?><span class="visually-hidden"> (<?cs var:g.ClientName ?>)</span></button>
</form>
</li>
<?cs /each ?></ul>
<?cs else ?><p class="message empty"><?cs var:Lang.Account.None ?></p>
<?cs /if ?><p class="account-links"><a href="<?cs var:Page.Logout ?>"><?cs var:Lang.Account.SignOut ?></a></p>
<?cs /def ?><?cs
include:"layout.cs" ?>
