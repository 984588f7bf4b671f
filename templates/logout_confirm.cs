<?cs # "Sign out of <site>?" (RP-initiated logout asks before it acts).
       Reads: Page.Action, Page.Csrf, Form.Hidden.0.Name, Form.Hidden.0.Value,
       Form.Hidden.1... (carried through the form unchanged), and optionally
       Client.Name (the app that asked) and User.Name.
       The form posts csrf, the hidden fields and confirm=yes or confirm=no. ?><?cs
include:"macros.cs" ?><?cs
if:!Page.Title ?><?cs set:Page.Title = Lang.Logout.Title ?><?cs /if ?><?cs
set:Page.Name = "logout" ?><?cs
def:content() ?>
<h1><?cs call:fill(Lang.Logout.Question, "{site}", Lang.SiteName) ?></h1>
<?cs if:User.Name ?><p class="subtitle signed-in-as"><?cs call:fill(Lang.Common.SignedInAs, "{user}", User.Name) ?></p>
<?cs /if ?><?cs if:Client.Name ?><p><?cs call:fill(Lang.Logout.RequestedBy, "{app}", Client.Name) ?></p>
<?cs /if ?><p class="hint"><?cs var:Lang.Logout.Text ?></p>
<form method="post" action="<?cs var:Page.Action ?>">
<input type="hidden" name="csrf" value="<?cs var:Page.Csrf ?>">
<?cs each:field = Form.Hidden ?><input type="hidden" name="<?cs var:field.Name ?>" value="<?cs var:field.Value ?>">
<?cs /each ?><div class="actions">
<button type="submit" name="confirm" value="no" class="button button-secondary"><?cs var:Lang.Logout.No ?></button>
<button type="submit" name="confirm" value="yes" class="button button-primary"><?cs var:Lang.Logout.Yes ?></button>
</div>
</form>
<?cs /def ?><?cs
include:"layout.cs" ?>
