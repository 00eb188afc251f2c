/* HTML escaping for the site. Every string that comes from the scanned repository reaches a
 * page through one of these functions: text and attribute values alike are escaped for both
 * contexts, URLs are filtered by scheme and percent-encoded, and strings bound for the
 * search index are escaped as JavaScript literals. */
#include "site.h"

#include <string.h>

#include "model/doc.h"

void html_escn(struct strbuf *sb, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            sb_adds(sb, rep);
            i++;
            continue;
        }
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            sb_adds(sb, "\xef\xbf\xbd");
            i++;
            continue;
        }
        size_t l = utf8_seq_len((const char *)p + i, n - i);
        if (l == 0) {
            sb_adds(sb, "\xef\xbf\xbd");
            i++;
            continue;
        }
        sb_add(sb, s + i, l);
        i += l;
    }
}

void html_esc(struct strbuf *sb, const char *s)
{
    if (s)
        html_escn(sb, s, strlen(s));
}

int html_url_allowed(const char *url)
{
    return url && doc_url_scheme(url) >= 0;
}

void html_url(struct strbuf *sb, const char *url)
{
    static const char hex[] = "0123456789ABCDEF";
    struct strbuf enc = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/#:?=&;,+@!$*()%", c)) {
            sb_addc(&enc, (char)c);
        } else {
            sb_addc(&enc, '%');
            sb_addc(&enc, hex[c >> 4]);
            sb_addc(&enc, hex[c & 15]);
        }
    }
    html_escn(sb, enc.buf ? enc.buf : "", enc.len);
    sb_release(&enc);
}

void html_js_str(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(sb, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)c);
            i++;
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
            sb_adds(sb, "\\u00");
            sb_addc(sb, hex[c >> 4]);
            sb_addc(sb, hex[c & 15]);
            i++;
        } else if (c < 0x80) {
            sb_addc(sb, (char)c);
            i++;
        } else {
            size_t l = utf8_seq_len((const char *)p + i, n - i);
            if (l == 0) {
                sb_adds(sb, "\\ufffd");
                i++;
            } else if (l == 3 && p[i] == 0xe2 && p[i + 1] == 0x80 &&
                       (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
                sb_adds(sb, p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
                i += 3;
            } else {
                sb_add(sb, (const char *)p + i, l);
                i += l;
            }
        }
    }
    sb_addc(sb, '"');
}
