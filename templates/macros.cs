<?cs # Macros shared by the pages: every page includes this file first.

  call:fill(message, placeholder, value)
    Prints a Lang string that has a placeholder in it, with the value put in its place
    inside strong tags, both escaped like every var. Translators move the placeholder
    to wherever their language wants it:
      Login.ContinueTo = to continue to {app}
      Login.ContinueTo = {app} に進むにはログインしてください
    A string without the placeholder is printed with the value after it.

  Escaping: var is the only way a value reaches the page. alt and name print what they
  are given unescaped, and lvar, evar and uvar must never be used.
?><?cs
def:fill(message, placeholder, value) ?><?cs
  set:Page.FillAt = string.find(message, placeholder) ?><?cs
  if:Page.FillAt >= 0 ?><?cs
    var:string.slice(message, 0, Page.FillAt) ?><strong><?cs var:value ?></strong><?cs
    var:string.slice(message, Page.FillAt + string.length(placeholder), string.length(message)) ?><?cs
  else ?><?cs
    var:message ?> <strong><?cs var:value ?></strong><?cs
  /if ?><?cs
/def ?><?cs

# True (sets Page.UrlOk to 1) when a client-supplied URL is http or https, so a
  javascript: or data: URL never becomes a link or an image. ?><?cs
def:check_url(url) ?><?cs
  set:Page.UrlOk = 0 ?><?cs
  if:string.slice(url, 0, 6) == "https:" || string.slice(url, 0, 5) == "http:" ?><?cs
    set:Page.UrlOk = 1 ?><?cs
  /if ?><?cs
/def ?><?cs

# The client's logo, when it has one with an http(s) URL. The name beside it says who
  the app is, so the image is decorative (empty alt). ?><?cs
def:client_logo() ?><?cs
  if:Client.LogoUri ?><?cs call:check_url(Client.LogoUri) ?><?cs
    if:Page.UrlOk ?><div class="client"><img class="client-logo" src="<?cs var:Client.LogoUri ?>" alt="" width="64" height="64" referrerpolicy="no-referrer"></div>
<?cs
    /if ?><?cs
  /if ?><?cs
/def ?>