<?cs # The sign-in form (GET and POST /login).
       Reads: Page.Action, Page.Req (optional), Page.Next (optional), Page.Csrf, Client.Name and
       Client.LogoUri (both optional), Login.Username (optional, to prefill),
       Login.Error (optional: invalid, throttled, locked, csrf or disabled) and
       Login.RetryAfter (seconds, optional, with throttled).
       The form posts username, password, req and csrf. ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.Login.Title ?><?cs /if ?><?cs
set:Page.Name = "login" ?><?cs
def:content() ?>
<?cs call:client_logo() ?><h1><?cs var:Lang.Login.Heading ?></h1>
<?cs if:Client.Name ?><p class="subtitle"><?cs call:fill(Lang.Login.ContinueTo, "{app}", Client.Name) ?></p>
<?cs /if ?><?cs
if:Login.Error ?><div class="alert alert-error" role="alert" id="login-error"><p><?cs
  if:Login.Error == "invalid" ?><?cs var:Lang.Login.Error.Invalid ?><?cs
  elif:Login.Error == "throttled" ?><?cs
    if:#Login.RetryAfter >= 90 ?><?cs call:fill(Lang.Login.Error.ThrottledMinutes, "{n}", (#Login.RetryAfter + 59) / 60) ?><?cs
    elif:#Login.RetryAfter > 1 ?><?cs call:fill(Lang.Login.Error.ThrottledSeconds, "{n}", #Login.RetryAfter) ?><?cs
    else ?><?cs var:Lang.Login.Error.Throttled ?><?cs /if ?><?cs
  elif:Login.Error == "locked" ?><?cs var:Lang.Login.Error.Locked ?><?cs
  elif:Login.Error == "csrf" ?><?cs var:Lang.Login.Error.Csrf ?><?cs
  elif:Login.Error == "disabled" ?><?cs var:Lang.Login.Error.Disabled ?><?cs
  else ?><?cs var:Lang.Login.Error.Other ?><?cs /if ?></p></div>
<?cs /if ?><form class="form" method="post" action="<?cs var:Page.Action ?>">
<?cs if:Page.Next ?><input type="hidden" name="next" value="<?cs var:Page.Next ?>">
<?cs /if ?><?cs if:Page.Req ?><input type="hidden" name="req" value="<?cs var:Page.Req ?>">
<?cs /if ?><input type="hidden" name="csrf" value="<?cs var:Page.Csrf ?>">
<div class="field">
<label for="username"><?cs var:Lang.Login.Username ?></label>
<input id="username" name="username" type="text" value="<?cs var:Login.Username ?>" autocomplete="username" autocapitalize="none" autocorrect="off" spellcheck="false" required<?cs
  if:Login.Error == "invalid" ?> aria-invalid="true" aria-describedby="login-error"<?cs /if ?><?cs
  if:!Login.Username ?> autofocus<?cs /if ?>>
</div>
<div class="field">
<label for="password"><?cs var:Lang.Login.Password ?></label>
<input id="password" name="password" type="password" autocomplete="current-password" required<?cs
  if:Login.Error == "invalid" ?> aria-invalid="true" aria-describedby="login-error"<?cs /if ?><?cs
  if:Login.Username ?> autofocus<?cs /if ?>>
</div>
<div class="actions">
<button type="submit" class="button button-primary"><?cs var:Lang.Login.Submit ?></button>
</div>
</form>
<?cs /def ?><?cs
include:"layout.cs" ?>
