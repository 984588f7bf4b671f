<?cs # OAuth 2.0 Form Post Response Mode: hands the authorization response to the
       client by an automatic POST to its redirect URI.
       Reads: Post.Action (the redirect URI), Post.Params.0.Name, Post.Params.0.Value,
       Post.Params.1... (code, state, iss or the error), Page.ScriptNonce.
       Without JavaScript the person presses Continue (in noscript). With it, the
       script below submits the form; the page's Content-Security-Policy allows only
       a script carrying Page.ScriptNonce, so keep the nonce attribute and add no
       inline event handlers (onload= and the like would be blocked). ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.FormPost.Title ?><?cs /if ?><?cs
set:Page.Name = "form-post" ?><?cs
def:content() ?>
<?cs call:check_url(Post.Action) ?><?cs
if:Page.UrlOk ?><h1><?cs var:Lang.FormPost.Heading ?></h1>
<form method="post" action="<?cs var:Post.Action ?>" id="form-post">
<?cs each:param = Post.Params ?><input type="hidden" name="<?cs var:param.Name ?>" value="<?cs var:param.Value ?>">
<?cs /each ?><noscript>
<p><?cs var:Lang.FormPost.NoScript ?></p>
<div class="actions">
<button type="submit" class="button button-primary"><?cs var:Lang.FormPost.Continue ?></button>
</div>
</noscript>
</form>
<script nonce="<?cs var:Page.ScriptNonce ?>">document.getElementById("form-post").submit();</script>
<?cs else ?><h1><?cs var:Lang.Error.Title ?></h1>
<p class="hint"><?cs var:Lang.Error.Hint ?></p>
<?cs /if ?><?cs /def ?><?cs
include:"layout.cs" ?>
