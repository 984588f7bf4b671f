<?cs # An error shown to a person: never a redirect (RFC 6749 4.1.2.1).
       Reads: Page.Error (optional, an OAuth error code), Page.Message (a description),
       and for an error an app that registered itself is to receive (R07), the way
       back the person may take: Page.Continue (a link), or Post.Action and
       Post.Params.0.Name, Post.Params.0.Value... (a form_post button). ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.Error.Title ?><?cs /if ?><?cs
set:Page.Name = "error" ?><?cs
def:content() ?>
<div class="status status-error" aria-hidden="true"><svg viewBox="0 0 24 24" width="32" height="32" focusable="false"><path d="M12 5.5v8.5M12 18.5v.2" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round"/></svg></div>
<h1><?cs var:Lang.Error.Title ?></h1>
<?cs if:Page.Message ?><p class="message"><?cs var:Page.Message ?></p>
<?cs /if ?><?cs if:Page.Error ?><p class="code"><?cs var:Lang.Error.Code ?> <code><?cs var:Page.Error ?></code></p>
<?cs /if ?><?cs
if:Page.Continue ?><p class="hint"><?cs var:Lang.Error.Unverified ?></p>
<div class="actions"><a class="button button-primary" href="<?cs var:Page.Continue ?>" rel="noreferrer"><?cs var:Lang.Error.Continue ?></a></div>
<?cs elif:Post.Action ?><p class="hint"><?cs var:Lang.Error.Unverified ?></p>
<form method="post" action="<?cs var:Post.Action ?>">
<?cs each:param = Post.Params ?><input type="hidden" name="<?cs var:param.Name ?>" value="<?cs var:param.Value ?>">
<?cs /each ?><div class="actions"><button type="submit" class="button button-primary"><?cs var:Lang.Error.Continue ?></button></div>
</form>
<?cs else ?><p class="hint"><?cs var:Lang.Error.Hint ?></p>
<?cs /if ?><?cs /def ?><?cs
include:"layout.cs" ?>
