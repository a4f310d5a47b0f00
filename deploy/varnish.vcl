# Varnish in front of nginx, as `make serve EDGE=varnish` runs it (deploy/serve.sh
# fills in @ORIGIN@; the tests put a small origin of their own there).
#
# What it stores: public responses, for as long as their Cache-Control's
# s-maxage says (then max-age), indexed by the cache keys in their `xkey`
# header (vmod_xkey, Debian's varnish-modules). What it never stores: the
# admin, anything but GET and HEAD, a signed-in editor's requests (the session
# cookie), and whatever the origin marks private, no-store or sets a cookie
# on (Varnish's built-in rules).
#
# How it is told: pagecache.edge.purge() sends `PURGE /` with
# `xkey-purge: list:42 home` and every object carrying any of those keys is
# dropped at once. Only localhost may purge (the `purgers` ACL): the app and
# Varnish share the machine. Behind a load balancer on the same machine, every
# client would be localhost: give purges a listen address of their own then
# (-a purge=127.0.0.1:6082) and test `local.socket == "purge"` instead.
vcl 4.1;

import xkey;

backend origin {
    @ORIGIN@
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " objects"));
    }
    # The reader's own address, overwritten: nginx passes it on unchanged, so
    # the app's rate limits see the reader, and no one can choose theirs.
    set req.http.X-Forwarded-For = client.ip;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin(/|$)") {
        return (pass);
    }
    # A signed-in editor sees previews, messages and the admin bar: never shared.
    if (req.http.Cookie ~ "(^|;\s*)(__Secure-)?sessionid=") {
        return (pass);
    }
    # Any other cookie (a CSRF token, analytics) does not change a public page;
    # the built-in rules would pass every request carrying one.
    unset req.http.Cookie;
    # Accept-Encoding: Varnish keeps one gzip copy (the origin compresses) and
    # unzips it for the rare client that cannot take gzip.
}

sub vcl_deliver {
    # The keys are for the edge, not for readers (varnishlog shows them).
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
