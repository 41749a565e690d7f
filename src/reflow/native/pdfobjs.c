/* pdfobjs.c: the structure tree of a tagged PDF read once per document, for pc_tags.
 *
 * PDFium builds a page's structure tree afresh for every page (FPDF_StructTree_GetForPage),
 * parsing the objects of the elements on it and of all their ancestors' children; most of a
 * tagged print's reading time beyond its text went there. This reads the objects itself, once:
 * a classic cross-reference table, the page tree, /StructTreeRoot with its /ParentTree and
 * /RoleMap, and each structure element when a page first needs it. For each page it then
 * builds what PDFium would (CPDF_StructTree::LoadPageTree and AddPageNode, step by step: the
 * same elements, child slots, links and recursion limit) and hands pc_tags (pdfchars.c) a table
 * of functions with the signatures of PDFium's FPDF_StructTree_* / FPDF_StructElement_* over
 * it, so the walk and its records are pc_tags' own.
 *
 * It is untrusted-input code, so it is small and strict: anything outside the subset it reads
 * exactly as PDFium does (cross-reference streams, object streams, encryption, an object not at
 * its offset, a name with # escapes or non-ASCII bytes, a real where an integer is read, direct
 * element dictionaries, streams, nesting past 32, more values than its budget) makes the
 * document (pd_open) or the page (pd_page_tree) unsupported, and the reader then asks PDFium
 * for that page as before. Every loop is bounded by the input's size or a fixed limit; objects
 * are parsed at most once (a failed one stays failed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { V_NULL, V_BOOL, V_INT, V_REAL, V_NAME, V_STR, V_ARR, V_DICT, V_REF, V_STREAM };
typedef struct { int32_t t, a, b; } pv; /* NAME/STR/REAL: a offset, b length; INT/BOOL: a;
                                           ARR: a first item, b count; DICT/STREAM: a first
                                           key, b pairs (key, value alternate); REF: a objnum */

#define MAX_POOL (1 << 22) /* parsed values per document */
#define MAX_NEST 32
#define MAX_SECTIONS 64   /* cross-reference sections (incremental updates) */
#define MAX_OBJ 8000000
#define MAX_PAGE_SLOTS (1 << 22) /* child slots of one page's tree */
#define MAX_PAGE_ELEMS (1 << 18)
#define PDFIUM_MAX_LEVEL 32 /* CPDF_StructTree::AddPageNode's kStructTreeMaxRecursion */

typedef struct pdoc pdoc;
typedef struct plink { pdoc *D; int32_t dict; } plink; /* an annotation or action handle */

typedef struct { /* one element of a page's tree (a CPDF_StructElement) */
    pdoc *D;
    int32_t obj, nslots, slot0; /* slots: element indices in D->slots[slot0..], -1: none */
} pel;

struct pdoc {
    const unsigned char *d;
    int64_t n, pos;
    int32_t nobj;
    int64_t *off;   /* object number -> offset of "N G obj", -1: none */
    int32_t *cache; /* object number -> pool index of its value; -1 unread, -2 failed */
    pv *pool;
    int32_t npool, cappool;
    pv *stk;
    int32_t nstk, capstk;
    char *nbuf; /* decoded names */
    int32_t nnbuf, capnbuf;
    int bad; /* the current parse failed */
    /* the catalog */
    int32_t root, tree_root, role_map, parent_tree; /* pool indices of dicts, -1: none */
    int32_t npages;
    int32_t *page_sp; /* page index -> /StructParents (-1: none) */
    int32_t *page_dict; /* page index -> the page dictionary's pool index */
    int uri_base; /* the catalog has a /URI dictionary (a base for relative URIs) */
    /* the page whose links are read (pd_links_page) */
    int32_t lannots; /* its /Annots array (pool index), -1: none */
    int32_t *lh; /* handles: lh[2*i] = annotation i's dictionary, lh[2*i+1] its /A's */
    struct plink *lhs;
    int32_t caplh;
    unsigned char *sbuf; /* a decoded string */
    int32_t capsbuf;
    /* the page tree being built */
    pel *els;
    int32_t nels, capels;
    int32_t *slots;
    int32_t nslots, capslots;
    int32_t *map; /* object number -> element index on this page, -1 */
    int32_t *touched;
    int32_t ntouched, captouched;
    int32_t top_n, top0; /* the tree's top-level slots, in slots[top0..] */
    int page_bad;
    /* the objects one page's reading parsed, released after it (mark, release) */
    int32_t *plog; /* (object number, its first pool index) in the order their parse began */
    int32_t nplog, capplog;
    int32_t *gone; /* object number -> 1 + the page after which it was released, 0: never */
    int32_t m_pool, m_log, m_page, marked;
};

/* ---- values ---- */

static int ws(unsigned c) { return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32; }
static int delim(unsigned c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

static void skip(pdoc *D) {
    while (D->pos < D->n) {
        unsigned c = D->d[D->pos];
        if (ws(c)) D->pos++;
        else if (c == '%') {
            while (D->pos < D->n && D->d[D->pos] != '\n' && D->d[D->pos] != '\r') D->pos++;
        } else break;
    }
}

static int grow(void **p, int32_t *cap, int32_t need, size_t size, int32_t limit) {
    if (need <= *cap) return 0;
    if (need > limit) return -1;
    int64_t c = *cap ? (int64_t)*cap * 2 : 1024;
    while (c < need) c *= 2;
    if (c > limit) c = limit;
    void *q = realloc(*p, (size_t)c * size);
    if (!q) return -1;
    *p = q;
    *cap = (int32_t)c;
    return 0;
}

static int push(pdoc *D, pv v) {
    if (grow((void **)&D->stk, &D->capstk, D->nstk + 1, sizeof(pv), MAX_POOL)) return -1;
    D->stk[D->nstk++] = v;
    return 0;
}

/* Moves the top `count` stack values into the pool; returns their first index. */
static int32_t settle(pdoc *D, int32_t count) {
    if (grow((void **)&D->pool, &D->cappool, D->npool + count, sizeof(pv), MAX_POOL)) return -1;
    int32_t first = D->npool;
    memcpy(D->pool + first, D->stk + D->nstk - count, (size_t)count * sizeof(pv));
    D->npool += count;
    D->nstk -= count;
    return first;
}

/* An unsigned decimal integer token at pos (no sign), its end in *end; -1 if none or too big. */
static int64_t uint_at(pdoc *D, int64_t pos, int64_t *end) {
    int64_t v = 0, p = pos;
    while (p < D->n && D->d[p] >= '0' && D->d[p] <= '9' && p - pos < 11) v = v * 10 + (D->d[p++] - '0');
    if (p == pos || p - pos > 10 || v > 2147483647) return -1;
    if (p < D->n && !ws(D->d[p]) && !delim(D->d[p])) return -1;
    *end = p;
    return v;
}

static int word_is(pdoc *D, const char *w) {
    int64_t k = (int64_t)strlen(w);
    if (D->pos + k > D->n || memcmp(D->d + D->pos, w, (size_t)k)) return 0;
    if (D->pos + k < D->n && !ws(D->d[D->pos + k]) && !delim(D->d[D->pos + k])) return 0;
    D->pos += k;
    return 1;
}

static int value(pdoc *D, int depth, pv *out);

static int hexval(unsigned c) {
    if (c >= '0' && c <= '9') return (int)(c - '0');
    c |= 32;
    return c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* The bytes of a name (decoded ones are kept in nbuf). */
static const unsigned char *name_bytes(pdoc *D, const pv *v) {
    return v->a >= 0 ? D->d + v->a : (const unsigned char *)D->nbuf + (-1 - v->a);
}

static int number(pdoc *D, pv *out) {
    int64_t p = D->pos, s = p, digits = 0, dots = 0;
    if (p < D->n && (D->d[p] == '+' || D->d[p] == '-')) p++;
    while (p < D->n && ((D->d[p] >= '0' && D->d[p] <= '9') || D->d[p] == '.')) {
        if (D->d[p] == '.') dots++; else digits++;
        p++;
    }
    if (!digits || dots > 1 || (p < D->n && !ws(D->d[p]) && !delim(D->d[p]))) return -1;
    if (dots || D->d[s] == '+' || D->d[s] == '-') { /* a real, or a signed integer */
        if (!dots) {
            int64_t v = 0, q = s + 1;
            if (p - q > 10) return -1;
            for (; q < p; q++) v = v * 10 + (D->d[q] - '0');
            if (v > 2147483647) return -1;
            out->t = V_INT; out->a = (int32_t)(D->d[s] == '-' ? -v : v); out->b = 0;
        } else {
            out->t = V_REAL; out->a = (int32_t)s; out->b = (int32_t)(p - s);
        }
        D->pos = p;
        return 0;
    }
    int64_t end, end2, v = uint_at(D, s, &end);
    if (v < 0) return -1;
    D->pos = end;
    /* "N G R": a reference */
    int64_t save = D->pos;
    skip(D);
    int64_t g = uint_at(D, D->pos, &end2);
    if (g >= 0) {
        D->pos = end2;
        skip(D);
        if (word_is(D, "R")) {
            out->t = V_REF; out->a = (int32_t)v; out->b = (int32_t)g;
            return 0;
        }
    }
    D->pos = save;
    out->t = V_INT; out->a = (int32_t)v; out->b = 0;
    return 0;
}

static int value(pdoc *D, int depth, pv *out) {
    if (depth > MAX_NEST) return -1;
    skip(D);
    if (D->pos >= D->n) return -1;
    unsigned c = D->d[D->pos];
    if (c == '/') { /* decoded as PDF_NameDecode does: #xx is a byte */
        int64_t s = ++D->pos, hash = 0;
        while (D->pos < D->n && !ws(D->d[D->pos]) && !delim(D->d[D->pos]))
            hash += D->d[D->pos++] == '#';
        out->t = V_NAME; out->a = (int32_t)s; out->b = (int32_t)(D->pos - s);
        if (hash) {
            if (grow((void **)&D->nbuf, &D->capnbuf, D->nnbuf + out->b, 1, MAX_POOL)) return -1;
            int32_t at = D->nnbuf;
            for (int64_t i = s; i < D->pos; i++) {
                unsigned k = D->d[i];
                if (k == '#' && i + 2 < D->pos + 1) {
                    int h = hexval(D->d[i + 1]), l = i + 2 < D->pos ? hexval(D->d[i + 2]) : -1;
                    if (h < 0 || l < 0) return -1; /* PDFium's reading of these: not copied */
                    D->nbuf[D->nnbuf++] = (char)(h * 16 + l);
                    i += 2;
                } else D->nbuf[D->nnbuf++] = (char)k;
            }
            out->a = -1 - at; out->b = D->nnbuf - at;
        }
        return 0;
    }
    if (c == '(') {
        int64_t s = ++D->pos;
        int nest = 1;
        while (D->pos < D->n) {
            unsigned k = D->d[D->pos++];
            if (k == '\\') D->pos++;
            else if (k == '(') nest++;
            else if (k == ')' && --nest == 0) break;
        }
        if (nest || D->pos > D->n) return -1;
        out->t = V_STR; out->a = (int32_t)s; out->b = (int32_t)(D->pos - 1 - s);
        return 0;
    }
    if (c == '<' && D->pos + 1 < D->n && D->d[D->pos + 1] == '<') {
        D->pos += 2;
        int32_t base = D->nstk;
        for (;;) {
            skip(D);
            if (D->pos + 1 < D->n && D->d[D->pos] == '>' && D->d[D->pos + 1] == '>') {
                D->pos += 2;
                break;
            }
            pv k, v;
            if (D->pos >= D->n || D->d[D->pos] != '/') return -1;
            if (value(D, depth + 1, &k) || value(D, depth + 1, &v)) return -1;
            if (push(D, k) || push(D, v)) return -1;
        }
        int32_t count = D->nstk - base, first = settle(D, count);
        if (first < 0) return -1;
        out->t = V_DICT; out->a = first; out->b = count / 2;
        return 0;
    }
    if (c == '<') {
        int64_t s = ++D->pos;
        while (D->pos < D->n && D->d[D->pos] != '>') {
            unsigned k = D->d[D->pos++];
            if (!ws(k) && !((k >= '0' && k <= '9') || ((k | 32) >= 'a' && (k | 32) <= 'f'))) return -1;
        }
        if (D->pos >= D->n) return -1;
        out->t = V_STR; out->a = (int32_t)s; out->b = (int32_t)(D->pos - s);
        D->pos++;
        return 0;
    }
    if (c == '[') {
        D->pos++;
        int32_t base = D->nstk;
        for (;;) {
            skip(D);
            if (D->pos < D->n && D->d[D->pos] == ']') {
                D->pos++;
                break;
            }
            pv v;
            if (value(D, depth + 1, &v) || push(D, v)) return -1;
        }
        int32_t count = D->nstk - base, first = settle(D, count);
        if (first < 0) return -1;
        out->t = V_ARR; out->a = first; out->b = count;
        return 0;
    }
    if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) return number(D, out);
    if (word_is(D, "true")) { out->t = V_BOOL; out->a = 1; return 0; }
    if (word_is(D, "false")) { out->t = V_BOOL; out->a = 0; return 0; }
    if (word_is(D, "null")) { out->t = V_NULL; return 0; }
    return -1;
}

/* The value of object `num`, parsed on first use: its pool index, -1 if it cannot be read. */
static int32_t object(pdoc *D, int32_t num) {
    if (num <= 0 || num >= D->nobj || D->off[num] < 0) return -1;
    if (D->cache[num] != -1) return D->cache[num] < 0 ? -1 : D->cache[num];
    D->cache[num] = -2;
    if (grow((void **)&D->plog, &D->capplog, D->nplog + 2, sizeof(int32_t), 2 * MAX_OBJ))
        return -1;
    D->plog[D->nplog++] = num;
    D->plog[D->nplog++] = D->npool;
    int64_t end;
    D->pos = D->off[num];
    D->nstk = 0;
    if (uint_at(D, D->pos, &end) != num) return -1;
    D->pos = end;
    skip(D);
    if (uint_at(D, D->pos, &end) < 0) return -1;
    D->pos = end;
    skip(D);
    if (!word_is(D, "obj")) return -1;
    pv v;
    if (value(D, 0, &v)) return -1;
    skip(D);
    if (v.t == V_DICT && word_is(D, "stream")) v.t = V_STREAM;
    if (v.t == V_REF) return -1; /* an object that is a reference: not followed here */
    if (push(D, v)) return -1;
    int32_t at = settle(D, 1);
    if (at < 0) return -1;
    D->cache[num] = at;
    return at;
}

static int name_is(pdoc *D, int32_t v, const char *s) {
    size_t k = strlen(s);
    return v >= 0 && D->pool[v].t == V_NAME && (size_t)D->pool[v].b == k &&
           !memcmp(name_bytes(D, &D->pool[v]), s, k);
}

/* The pool index of dict[key] as stored (not resolved), -1 when absent; the last of repeated
 * keys wins, as PDFium's parser keeps it. */
static int32_t get(pdoc *D, int32_t dict, const char *key) {
    if (dict < 0) return -1;
    const pv *d = &D->pool[dict];
    int32_t hit = -1;
    if (d->t != V_DICT && d->t != V_STREAM) return -1;
    for (int32_t i = 0; i < d->b; i++)
        if (name_is(D, d->a + 2 * i, key)) hit = d->a + 2 * i + 1;
    return hit;
}

/* A value resolved: the object's pool index if `v` is a reference, else `v`; -1 for none or a
 * reference that cannot be read (which makes the read unsupported). */
static int32_t direct(pdoc *D, int32_t v) {
    if (v < 0) return -1;
    if (D->pool[v].t == V_REF) {
        int32_t at = object(D, D->pool[v].a);
        if (at < 0) D->bad = 1;
        return at;
    }
    return v;
}

/* The dictionary a value resolves to, -1 for none; a stream (whose dictionary PDFium would
 * take) makes the read unsupported. */
static int32_t as_dict(pdoc *D, int32_t v) {
    int32_t at = direct(D, v);
    if (at < 0) return -1;
    if (D->pool[at].t == V_STREAM) { D->bad = 1; return -1; }
    return D->pool[at].t == V_DICT ? at : -1;
}

static int32_t as_array(pdoc *D, int32_t v) {
    int32_t at = direct(D, v);
    return at >= 0 && D->pool[at].t == V_ARR ? at : -1;
}

/* An integer where PDFium reads one (GetInteger, references resolved); `def` when absent. Any
 * other type makes the read unsupported. */
static int32_t integer(pdoc *D, int32_t v, int32_t def) {
    if (v < 0) return def;
    int32_t at = direct(D, v);
    if (at < 0 || D->pool[at].t != V_INT) { D->bad = 1; return def; }
    return D->pool[at].a;
}

/* Memory flat in the document's size: the objects a page's reading parses (its annotations,
 * its structure elements and their parents) are released after it (mark .. release), unless a
 * page before this one parsed them too: those, the elements and parents several pages share,
 * stay. A released object is unread again and parsed afresh, to the same values, when a later
 * page needs it (so at most twice). An object's values are one run of the pool (value() settles
 * its arrays and dictionaries as they close, and object() parses no other object meanwhile): the
 * kept ones move down over the released ones, their container indices shifted. Nothing keeps a
 * pool index of the window past a page's reading (pd_links_done, the end of pd_tags and
 * pd_text_annots); decoded names stay in nbuf. */
static void mark(pdoc *D, int32_t page) {
    D->m_pool = D->npool; D->m_log = D->nplog; D->m_page = page; D->marked = 1;
}

static void release(pdoc *D) {
    if (!D->marked) return;
    D->marked = 0;
    int32_t dst = D->m_pool, log = D->m_log;
    for (int32_t i = D->m_log; i < D->nplog; i += 2) {
        int32_t num = D->plog[i], start = D->plog[i + 1], top = D->cache[num];
        if (top < 0) continue; /* failed: stays failed */
        if (!D->gone[num] || D->gone[num] == D->m_page + 1) {
            D->gone[num] = D->m_page + 1;
            D->cache[num] = -1;
            continue;
        }
        int32_t len = top - start + 1, shift = start - dst;
        if (shift) {
            memmove(D->pool + dst, D->pool + start, (size_t)len * sizeof(pv));
            for (int32_t j = dst; j < dst + len; j++) {
                int t = D->pool[j].t;
                if (t == V_ARR || t == V_DICT || t == V_STREAM) D->pool[j].a -= shift;
            }
        }
        D->cache[num] = top - shift;
        D->plog[log++] = num;
        D->plog[log++] = dst;
        dst += len;
    }
    D->npool = dst;
    D->nplog = log;
}

/* ---- the cross-reference table ---- */

static int xref(pdoc *D, int64_t at, int32_t *trailer) {
    int64_t end;
    D->pos = at;
    skip(D);
    if (!word_is(D, "xref")) return -1;
    for (;;) {
        skip(D);
        if (word_is(D, "trailer")) break;
        int64_t first = uint_at(D, D->pos, &end);
        if (first < 0) return -1;
        D->pos = end;
        skip(D);
        int64_t count = uint_at(D, D->pos, &end);
        if (count < 0 || first + count > MAX_OBJ || count * 18 > D->n) return -1;
        D->pos = end;
        if (first + count > D->nobj) {
            int32_t old = D->nobj, nn = (int32_t)(first + count);
            int64_t *o = realloc(D->off, (size_t)nn * sizeof *o);
            if (!o) return -1;
            D->off = o;
            for (int32_t i = old; i < nn; i++) D->off[i] = -2; /* -2: not yet set */
            D->nobj = nn;
        }
        for (int64_t i = 0; i < count; i++) {
            skip(D);
            int64_t o = uint_at(D, D->pos, &end);
            if (o < 0) return -1;
            D->pos = end;
            skip(D);
            if (uint_at(D, D->pos, &end) < 0) return -1;
            D->pos = end;
            skip(D);
            if (D->pos >= D->n) return -1;
            unsigned k = D->d[D->pos++];
            if (k != 'n' && k != 'f') return -1;
            int32_t num = (int32_t)(first + i);
            if (D->off[num] == -2) D->off[num] = k == 'n' && o > 0 && o < D->n ? o : -1;
        }
    }
    pv t;
    D->nstk = 0;
    if (value(D, 0, &t) || t.t != V_DICT || push(D, t)) return -1;
    *trailer = settle(D, 1);
    return *trailer < 0 ? -1 : 0;
}

static int find_startxref(pdoc *D, int64_t *at) {
    int64_t from = D->n > 1024 ? D->n - 1024 : 0, end;
    for (int64_t p = D->n - 9; p >= from; p--) {
        if (!memcmp(D->d + p, "startxref", 9)) {
            D->pos = p + 9;
            skip(D);
            int64_t v = uint_at(D, D->pos, &end);
            if (v <= 0 || v >= D->n) return -1;
            *at = v;
            return 0;
        }
    }
    return -1;
}

/* ---- pages ---- */

/* The /StructParents of every page in PDFium's order. Strict: /Type /Pages nodes whose /Kids
 * are references and whose /Count matches, /Type /Page leaves without /Kids (PDFium's walk is
 * then this one). */
static int pages(pdoc *D, int32_t node, int level, int32_t *count) {
    if (level > 32 || node < 0 || D->pool[node].t != V_DICT) return -1;
    int32_t kids = get(D, node, "Kids");
    if (!name_is(D, get(D, node, "Type"), "Pages") || kids < 0 || D->pool[kids].t != V_ARR)
        return -1;
    int32_t want = integer(D, get(D, node, "Count"), -1), before = *count;
    for (int32_t i = 0; i < D->pool[kids].b; i++) {
        int32_t k = D->pool[kids].a + i;
        if (D->pool[k].t != V_REF) return -1;
        int32_t kid = object(D, D->pool[k].a);
        if (kid < 0 || D->pool[kid].t != V_DICT) return -1;
        int32_t type = get(D, kid, "Type");
        if (name_is(D, type, "Pages")) {
            if (pages(D, kid, level + 1, count)) return -1;
        } else if (name_is(D, type, "Page") && get(D, kid, "Kids") < 0) {
            int32_t sp = integer(D, get(D, kid, "StructParents"), -1);
            if (D->bad || *count >= D->npages) return -1;
            D->page_dict[*count] = kid;
            D->page_sp[(*count)++] = sp;
        } else return -1;
    }
    if (D->bad || want != *count - before) return -1;
    return 0;
}

/* ---- the document ---- */

void pd_close(pdoc *D) {
    if (!D) return;
    free(D->off); free(D->nbuf); free(D->cache); free(D->pool); free(D->stk); free(D->page_sp);
    free(D->page_dict); free(D->lhs); free(D->sbuf);
    free(D->els); free(D->slots); free(D->map); free(D->touched); free(D->plog);
    free(D->gone);
    free(D);
}

/* Opens `data` (which must outlive the reader) for the structure tree of its `npages` pages
 * (PDFium's count); NULL when it is outside this reader's subset (then PDFium reads it). */
pdoc *pd_open(const unsigned char *data, int64_t n, int32_t npages) {
    if (!data || n < 32 || npages <= 0 || npages > 1000000) return NULL;
    pdoc *D = calloc(1, sizeof *D);
    if (!D) return NULL;
    D->d = data; D->n = n;
    D->root = D->tree_root = D->role_map = D->parent_tree = -1;
    int64_t at, seen[MAX_SECTIONS];
    int32_t trailer, first_trailer = -1, sections = 0;
    if (find_startxref(D, &at)) goto fail;
    while (at > 0) {
        for (int i = 0; i < sections; i++) if (seen[i] == at) goto fail;
        if (sections >= MAX_SECTIONS) goto fail;
        seen[sections++] = at;
        if (xref(D, at, &trailer)) goto fail;
        if (first_trailer < 0) first_trailer = trailer;
        if (get(D, trailer, "XRefStm") >= 0 || get(D, trailer, "Encrypt") >= 0) goto fail;
        int32_t prev = get(D, trailer, "Prev");
        if (prev >= 0 && (D->pool[prev].t != V_INT || D->pool[prev].a <= 0)) goto fail;
        at = prev >= 0 ? D->pool[prev].a : 0;
    }
    if (D->nobj <= 0) goto fail;
    for (int32_t i = 0; i < D->nobj; i++) if (D->off[i] == -2) D->off[i] = -1;
    D->cache = malloc((size_t)D->nobj * sizeof *D->cache);
    D->map = malloc((size_t)D->nobj * sizeof *D->map);
    D->gone = calloc((size_t)D->nobj, sizeof *D->gone);
    D->page_sp = malloc((size_t)npages * sizeof *D->page_sp);
    D->page_dict = malloc((size_t)npages * sizeof *D->page_dict);
    if (!D->cache || !D->map || !D->gone || !D->page_sp || !D->page_dict) goto fail;
    for (int32_t i = 0; i < D->nobj; i++) D->cache[i] = -1, D->map[i] = -1;
    int32_t root = get(D, first_trailer, "Root");
    if (root < 0 || D->pool[root].t != V_REF) goto fail;
    D->root = object(D, D->pool[root].a);
    if (D->root < 0 || D->pool[D->root].t != V_DICT) goto fail;
    int32_t pg = get(D, D->root, "Pages"), count = 0;
    if (pg < 0 || D->pool[pg].t != V_REF) goto fail;
    int32_t pages_node = object(D, D->pool[pg].a);
    D->npages = npages;
    if (pages_node < 0 || pages(D, pages_node, 0, &count) || count != npages) goto fail;
    D->uri_base = get(D, D->root, "URI") >= 0;
    D->tree_root = as_dict(D, get(D, D->root, "StructTreeRoot"));
    if (D->tree_root >= 0) {
        D->role_map = as_dict(D, get(D, D->tree_root, "RoleMap"));
        D->parent_tree = as_dict(D, get(D, D->tree_root, "ParentTree"));
    }
    if (D->bad) goto fail;
    return D;
fail:
    pd_close(D);
    return NULL;
}

/* ---- a page's tree, as CPDF_StructTree::LoadPageTree builds it ---- */

/* FindNumberNode. PDFium recurses without a limit (a /Kids cycle overflows its stack); here a
 * number tree deeper than 32 or of more than `*visits` nodes holds nothing (the page is read
 * untagged). */
static int32_t lookup(pdoc *D, int32_t node, int32_t num, int level, int32_t *visits) {
    if (level > 32 || --*visits < 0) return -1;
    int32_t lim = as_array(D, get(D, node, "Limits"));
    if (lim >= 0) {
        int32_t lo = D->pool[lim].b > 0 ? integer(D, D->pool[lim].a, 0) : 0;
        int32_t hi = D->pool[lim].b > 1 ? integer(D, D->pool[lim].a + 1, 0) : 0;
        if (D->bad || num < lo || num > hi) return -1;
    }
    int32_t nums = as_array(D, get(D, node, "Nums"));
    if (nums >= 0) {
        int32_t a = D->pool[nums].a, n = D->pool[nums].b / 2;
        for (int32_t i = 0; i < n && !D->bad; i++) {
            int32_t idx = integer(D, a + 2 * i, 0);
            if (D->bad) return -1;
            if (idx == num) return direct(D, a + 2 * i + 1);
            if (idx > num) break;
        }
        return -1;
    }
    int32_t kids = as_array(D, get(D, node, "Kids"));
    if (kids < 0) return -1;
    for (int32_t i = 0; i < D->pool[kids].b && !D->bad; i++) {
        int32_t kid = as_dict(D, D->pool[kids].a + i);
        if (kid < 0) continue;
        int32_t r = lookup(D, kid, num, level + 1, visits);
        if (r >= 0 || D->bad) return r;
    }
    return -1;
}

/* The kids of element dict `el` (GetDirectObjectFor("K"): an array's entries, else one): their
 * count, *arr the array's pool index (-1 for a single kid, `*one` its stored value). */
static int32_t kids_of(pdoc *D, int32_t el, int32_t *arr, int32_t *one) {
    int32_t k = get(D, el, "K");
    *arr = -1; *one = -1;
    if (k < 0) return 0;
    int32_t at = direct(D, k);
    if (at < 0) return 0;
    if (D->pool[at].t == V_ARR) { *arr = at; return D->pool[at].b; }
    *one = k;
    return 1;
}

static int32_t new_element(pdoc *D, int32_t obj) {
    int32_t arr, one, n = kids_of(D, D->cache[obj], &arr, &one);
    if (D->bad ||
        grow((void **)&D->els, &D->capels, D->nels + 1, sizeof(pel), MAX_PAGE_ELEMS) ||
        grow((void **)&D->slots, &D->capslots, D->nslots + n, sizeof(int32_t), MAX_PAGE_SLOTS)) {
        D->bad = 1;
        return -1;
    }
    pel *e = &D->els[D->nels];
    e->D = D; e->obj = obj; e->nslots = n; e->slot0 = D->nslots;
    for (int32_t i = 0; i < n; i++) D->slots[D->nslots + i] = -1;
    D->nslots += n;
    return D->nels++;
}

static void map_set(pdoc *D, int32_t obj, int32_t el) {
    if (el >= 0) {
        if (grow((void **)&D->touched, &D->captouched, D->ntouched + 1, sizeof(int32_t),
                 MAX_PAGE_ELEMS)) {
            D->bad = 1;
            return;
        }
        D->touched[D->ntouched++] = obj;
    }
    D->map[obj] = el;
}

/* CPDF_StructElement::UpdateKidIfElement: the parent's kid slots that hold object `obj` (a
 * reference to it: PDFium's kid and `obj` are then the same dictionary), if `obj` is an
 * element kid (a dictionary whose /Type is neither MCR nor OBJR). */
static int update_kid(pdoc *D, int32_t parent, int32_t obj, int32_t el) {
    int32_t type = get(D, D->cache[obj], "Type"), arr, one, saved = 0;
    if (name_is(D, type, "MCR") || name_is(D, type, "OBJR")) return 0;
    int32_t n = kids_of(D, D->cache[D->els[parent].obj], &arr, &one);
    for (int32_t i = 0; i < n; i++) {
        int32_t k = arr >= 0 ? D->pool[arr].a + i : one;
        if (D->pool[k].t == V_REF && D->pool[k].a == obj) {
            D->slots[D->els[parent].slot0 + i] = el;
            saved = 1;
        }
    }
    return saved;
}

static int add_top(pdoc *D, int32_t obj, int32_t el) { /* AddTopLevelNode */
    int32_t k = get(D, D->tree_root, "K"), at = direct(D, k);
    if (at < 0) return 0;
    if (D->pool[at].t == V_STREAM) { D->bad = 1; return 0; }
    if (D->pool[at].t == V_DICT) { /* the same object number (0 for a direct dictionary) */
        if (D->pool[k].t != V_REF || D->pool[k].a != obj) return 0;
        D->slots[D->top0] = el;
        return 1;
    }
    if (D->pool[at].t != V_ARR) return 1;
    int saved = 0;
    for (int32_t i = 0; i < D->pool[at].b; i++) {
        int32_t e = D->pool[at].a + i;
        if (D->pool[e].t == V_REF && D->pool[e].a == obj) { D->slots[D->top0 + i] = el; saved = 1; }
    }
    return saved;
}

static int32_t add_node(pdoc *D, int32_t obj, int level) { /* AddPageNode */
    if (level > PDFIUM_MAX_LEVEL || D->bad) return -1;
    if (D->map[obj] >= 0) return D->map[obj];
    int32_t el = new_element(D, obj);
    if (el < 0) return -1;
    map_set(D, obj, el);
    int32_t p = get(D, D->cache[obj], "P");
    if (p >= 0 && D->pool[p].t != V_REF && D->pool[p].t != V_NULL) { D->bad = 1; return -1; }
    int32_t parent = p >= 0 ? as_dict(D, p) : -1;
    if (D->bad) return -1;
    if (parent < 0 || name_is(D, get(D, parent, "Type"), "StructTreeRoot")) {
        if (!add_top(D, obj, el)) map_set(D, obj, -1);
        return D->bad ? -1 : el;
    }
    int32_t pe = add_node(D, D->pool[p].a, level + 1);
    if (D->bad) return -1;
    if (pe < 0) return el;
    if (!update_kid(D, pe, obj, el)) map_set(D, obj, -1);
    return D->bad ? -1 : el;
}

/* The tree of page `index` (0-based) built for pd_tags: 0, or -1 when the page is outside this
 * reader's subset (read it with PDFium). Valid until the next call. */
int pd_page_tree(pdoc *D, int32_t index) {
    if (!D || index < 0 || index >= D->npages) return -1;
    for (int32_t i = 0; i < D->ntouched; i++) D->map[D->touched[i]] = -1;
    D->ntouched = 0; D->nels = 0; D->nslots = 0; D->top_n = 0; D->top0 = 0; D->bad = 0;
    D->page_bad = 1;
    if (D->tree_root < 0) { D->page_bad = 0; return 0; }
    int32_t k = direct(D, get(D, D->tree_root, "K"));
    if (D->bad) return -1;
    if (k >= 0 && D->pool[k].t == V_STREAM) return -1;
    if (k < 0 || !(D->pool[k].t == V_DICT || D->pool[k].t == V_ARR)) { D->page_bad = 0; return 0; }
    int32_t n = D->pool[k].t == V_DICT ? 1 : D->pool[k].b;
    if (grow((void **)&D->slots, &D->capslots, n, sizeof(int32_t), MAX_PAGE_SLOTS)) return -1;
    for (int32_t i = 0; i < n; i++) D->slots[i] = -1;
    D->top_n = n; D->nslots = n;
    int32_t sp = D->page_sp[index];
    if (D->parent_tree < 0 || sp < 0) { D->page_bad = 0; return 0; }
    int32_t visits = 100000, arr = lookup(D, D->parent_tree, sp, 0, &visits);
    if (D->bad) return -1;
    if (arr < 0 || D->pool[arr].t != V_ARR) {
        if (arr >= 0 && D->pool[arr].t == V_STREAM) return -1;
        D->page_bad = 0;
        return 0;
    }
    for (int32_t i = 0; i < D->pool[arr].b; i++) {
        int32_t e = D->pool[arr].a + i;
        if (D->pool[e].t == V_NULL) continue;
        if (D->pool[e].t != V_REF) return -1; /* a direct dictionary, or a value PDFium skips */
        int32_t obj = D->pool[e].a, dict = object(D, obj);
        if (dict < 0 || D->pool[dict].t == V_STREAM) return -1;
        if (D->pool[dict].t != V_DICT) continue;
        add_node(D, obj, 0);
        if (D->bad) return -1;
    }
    D->page_bad = 0;
    return 0;
}

/* ---- PDFium's structure-tree functions over the page's tree (STRUCT_FUNCTIONS' order) ---- */

static unsigned long f_type(void *el, void *buf, unsigned long buflen) {
    pel *e = el;
    pdoc *D = e->D;
    int32_t s = get(D, D->cache[e->obj], "S"), name = s; /* GetNameFor: a direct name */
    if (s < 0 || D->pool[s].t != V_NAME) return 0;
    if (D->role_map >= 0 && D->pool[s].b > 0) { /* GetRoleMapNameFor: one mapping */
        int32_t d = D->pool[D->role_map].a, hit = -1;
        for (int32_t i = 0; i < D->pool[D->role_map].b; i++) {
            const pv *key = &D->pool[d + 2 * i];
            if (key->b == D->pool[s].b &&
                !memcmp(name_bytes(D, key), name_bytes(D, &D->pool[s]), (size_t)key->b))
                hit = d + 2 * i + 1;
        }
        if (hit >= 0 && D->pool[hit].t == V_NAME && D->pool[hit].b > 0) name = hit;
    }
    int32_t len = D->pool[name].b;
    const unsigned char *b = name_bytes(D, &D->pool[name]);
    if (len == 0) return 0;
    for (int32_t i = 0; i < len; i++) /* PDFium reads it as UTF-8: ASCII only here */
        if (b[i] < 0x20 || b[i] > 0x7E) { D->page_bad = 1; return 0; }
    unsigned long need = 2 * ((unsigned long)len + 1);
    if (buf && buflen >= need) {
        unsigned char *o = buf;
        for (int32_t i = 0; i < len; i++) o[2 * i] = b[i], o[2 * i + 1] = 0;
        o[2 * len] = o[2 * len + 1] = 0;
    }
    return need;
}

static int f_nchild(void *el) { return ((pel *)el)->nslots; }

static void *f_child(void *el, int i) {
    pel *e = el;
    if (i < 0 || i >= e->nslots) return NULL;
    int32_t c = e->D->slots[e->slot0 + i];
    return c >= 0 ? &e->D->els[c] : NULL;
}

/* FPDF_StructElement_GetMarkedContentIdCount / AtIndex read /K as stored (no reference is
 * resolved): a number, an MCR dictionary's /MCID, else -1. A real, whose truncation this
 * reader does not copy, makes the page unsupported. */
static int mcid_of(pdoc *D, int32_t v) {
    if (D->pool[v].t == V_INT) return D->pool[v].a;
    if (D->pool[v].t == V_REAL) { D->page_bad = 1; return -1; }
    if (D->pool[v].t == V_DICT && name_is(D, get(D, v, "Type"), "MCR")) {
        int32_t m = get(D, v, "MCID");
        if (m >= 0 && D->pool[m].t == V_INT) return D->pool[m].a;
        if (m >= 0 && D->pool[m].t == V_REAL) D->page_bad = 1;
    }
    return -1;
}

static int f_nmcid(void *el) {
    pel *e = el;
    int32_t k = get(e->D, e->D->cache[e->obj], "K");
    if (k < 0) return -1;
    int t = e->D->pool[k].t;
    if (t == V_INT || t == V_REAL || t == V_DICT) return 1;
    return t == V_ARR ? e->D->pool[k].b : -1;
}

static int f_mcid(void *el, int i) {
    pel *e = el;
    pdoc *D = e->D;
    int32_t k = get(D, D->cache[e->obj], "K");
    if (k < 0) return -1;
    if (D->pool[k].t == V_ARR) return i >= 0 && i < D->pool[k].b ? mcid_of(D, D->pool[k].a + i) : -1;
    if (D->pool[k].t == V_INT || D->pool[k].t == V_REAL) return i == 0 ? mcid_of(D, k) : -1;
    if (D->pool[k].t == V_DICT) return mcid_of(D, k);
    return -1;
}

static int f_tree_n(void *tree) { return ((pdoc *)tree)->top_n; }

static void *f_tree_child(void *tree, int i) {
    pdoc *D = tree;
    if (i < 0 || i >= D->top_n) return NULL;
    int32_t c = D->slots[D->top0 + i];
    return c >= 0 ? &D->els[c] : NULL;
}

int pc_tags(void **fn, void *tree, int budget, int max_depth, int32_t *next_id, int32_t *out,
            int cap, int64_t *slots);

/* pc_tags over page `index`'s tree as read here: the records and *slots PDFium's tree would
 * give; -2 when the page is outside this reader's subset (ask PDFium), -1 when out[] is too
 * small. */
int pd_tags(pdoc *D, int32_t index, int budget, int max_depth, int32_t *next_id, int32_t *out,
            int cap, int64_t *slots) {
    static void *fns[] = {(void *)f_type, (void *)f_nchild, (void *)f_child, (void *)f_nmcid,
                          (void *)f_mcid, (void *)f_tree_n, (void *)f_tree_child};
    if (!D) return -2;
    release(D);
    mark(D, index);
    int32_t next = *next_id;
    int r = pd_page_tree(D, index) || D->page_bad ? -2
                                                  : pc_tags(fns, D, budget, max_depth, &next, out, cap, slots);
    if (D->page_bad) r = -2;
    if (r >= 0) *next_id = next;
    release(D);
    return r;
}

/* ---- link annotations: PDFium's FPDFLink_* / FPDFAction_* over the document's objects ----
 * pc_links (pdfchars.c) reads a page's links through a table of PDFium's functions; the reader
 * hands it one where the link entries are these (pd_link_fns' order), over the page that
 * pd_links_page chose. What they read is what PDFium reads (fpdf_doc.cpp in the PDFium this was
 * written against): /Annots entries that are dictionaries with /Subtype /Link, their /A action
 * when its /S is /URI (and its optional /Type /Action), /URI's string, /Rect and /QuadPoints as
 * floats. Anything else PDFium would read differently (a string /Subtype, a catalog /URI base,
 * a number this reader does not round as PDFium does) marks the page for PDFium. */

#include <math.h>

static int bitlen(uint64_t v) { int n = 0; while (v) n++, v >>= 1; return n; }

/* A number as PDFium's GetNumber gives it: an integer cast to float; a real as fast_float gives
 * it, the float nearest its decimal value (ties to even), computed here exactly in integers
 * (q = m * 2^s / 10^k to 25 bits and a sticky remainder) for up to 10 significant digits and
 * 10 decimals where that fits 63 bits; any other real makes the page PDFium's. */
static float num_float(pdoc *D, int32_t v) {
    int32_t at = direct(D, v);
    if (at < 0) { D->page_bad = 1; return 0; }
    if (D->pool[at].t == V_INT) return (float)D->pool[at].a;
    if (D->pool[at].t != V_REAL) { D->page_bad = 1; return 0; }
    const unsigned char *p = D->d + D->pool[at].a, *e = p + D->pool[at].b, *dot = NULL;
    int neg = 0, k = 0, nd = 0;
    uint64_t m = 0;
    if (p < e && (*p == '+' || *p == '-')) neg = *p++ == '-';
    for (const unsigned char *q = p; q < e; q++) if (*q == '.') dot = q;
    if (dot) while (e > dot + 1 && e[-1] == '0') e--; /* trailing zeros change nothing */
    for (; p < e; p++) {
        if (*p == '.') continue;
        m = m * 10 + (uint64_t)(*p - '0');
        if (m) nd++;
        if (dot && p > dot) k++;
        if (nd > 10 || k > 10) { D->page_bad = 1; return 0; }
    }
    if (!m) return neg ? -0.0f : 0.0f;
    uint64_t p10 = 1;
    for (int i = 0; i < k; i++) p10 *= 10;
    int s = 25 + bitlen(p10) - bitlen(m);
    for (int tries = 0; tries < 4; tries++) {
        uint64_t num = m, den = p10;
        if (s >= 0) {
            if (bitlen(m) + s > 63) break;
            num = m << s;
        } else {
            if (bitlen(p10) - s > 63) break;
            den = p10 << -s;
        }
        uint64_t q = num / den, r = num % den;
        if (q >= (1u << 25)) { s--; continue; }
        if (q < (1u << 24)) { s++; continue; }
        uint64_t sig = q >> 1;
        if ((q & 1) && (r || (sig & 1))) sig++;
        float f = ldexpf((float)sig, 1 - s); /* sig <= 2^24: exact in a float */
        return neg ? -f : f;
    }
    D->page_bad = 1;
    return 0;
}

/* GetByteStringFor: a string's bytes (literal escapes and hex decoded as CPDF_SyntaxParser
 * reads them) or a name's, into D->sbuf; -1 for any other value (the page is PDFium's). */
static int32_t bytes_of(pdoc *D, int32_t v) {
    int32_t at = direct(D, v);
    if (at < 0) return -1;
    const pv *x = &D->pool[at];
    if (x->t == V_NAME) {
        if (grow((void **)&D->sbuf, &D->capsbuf, x->b + 1, 1, MAX_POOL)) return -1;
        memcpy(D->sbuf, name_bytes(D, x), (size_t)x->b);
        return x->b;
    }
    if (x->t != V_STR) return -1;
    if (grow((void **)&D->sbuf, &D->capsbuf, x->b + 1, 1, MAX_POOL)) return -1;
    const unsigned char *p = D->d + x->a, *e = p + x->b;
    int32_t n = 0;
    if (x->a > 0 && D->d[x->a - 1] == '<') { /* hex: pairs of digits, an odd last one padded */
        int first = 1, code = 0;
        for (; p < e; p++) {
            int h = hexval(*p);
            if (h < 0) continue;
            if (first) code = h * 16;
            else D->sbuf[n++] = (unsigned char)(code + h);
            first = !first;
        }
        if (!first) D->sbuf[n++] = (unsigned char)code;
        return n;
    }
    while (p < e) {
        unsigned c = *p++;
        if (c != '\\') { D->sbuf[n++] = (unsigned char)c; continue; }
        if (p >= e) return -1;
        c = *p++;
        if (c >= '0' && c <= '7') {
            int code = (int)(c - '0');
            if (p < e && *p >= '0' && *p <= '7') {
                code = code * 8 + (*p++ - '0');
                if (p < e && *p >= '0' && *p <= '7') code = code * 8 + (*p++ - '0');
            }
            D->sbuf[n++] = (unsigned char)code;
        } else if (c == '\r') {
            if (p < e && *p == '\n') p++;
        } else if (c == 'n') D->sbuf[n++] = '\n';
        else if (c == 'r') D->sbuf[n++] = '\r';
        else if (c == 't') D->sbuf[n++] = '\t';
        else if (c == 'b') D->sbuf[n++] = '\b';
        else if (c == 'f') D->sbuf[n++] = '\f';
        else if (c != '\n') D->sbuf[n++] = (unsigned char)c;
    }
    return n;
}

static int str_is(pdoc *D, int32_t v, const char *s) { /* GetByteStringFor(key) == s */
    int32_t n = bytes_of(D, v);
    if (n < 0) { D->page_bad = 1; return 0; }
    return (size_t)n == strlen(s) && !memcmp(D->sbuf, s, (size_t)n);
}

/* Chooses page `index` for the link functions: 0, or -1 when it is PDFium's to read. The
 * objects they parse are the page's own until pd_links_done. */
int pd_links_page(pdoc *D, int32_t index) {
    if (!D || index < 0 || index >= D->npages || D->uri_base) return -1;
    release(D);
    mark(D, index);
    D->bad = 0; D->page_bad = 0; D->lannots = -1;
    int32_t a = get(D, D->page_dict[index], "Annots");
    if (a < 0) return 0;
    int32_t arr = direct(D, a);
    if (D->bad || arr < 0 || D->pool[arr].t == V_STREAM) { release(D); return -1; }
    if (D->pool[arr].t != V_ARR) return 0;
    int32_t n = D->pool[arr].b;
    if (grow((void **)&D->lhs, &D->caplh, 2 * n + 2, sizeof(plink), MAX_PAGE_ELEMS)) {
        release(D);
        return -1;
    }
    D->lannots = arr;
    return 0;
}

/* The page's links are read: the objects parsed for them are released. */
void pd_links_done(pdoc *D) {
    if (!D) return;
    release(D);
    D->lannots = -1;
}

int pd_links_ok(pdoc *D) { return D && !D->page_bad && !D->bad; }

static int l_enum(void *page, int *pos, void **link) {
    pdoc *D = page;
    if (!pos || !link || D->lannots < 0) return 0;
    for (int32_t i = *pos; i < D->pool[D->lannots].b; i++) {
        int32_t at = direct(D, D->pool[D->lannots].a + i);
        if (D->bad) { D->page_bad = 1; return 0; }
        if (at < 0 || D->pool[at].t != V_DICT) {
            if (at >= 0 && D->pool[at].t == V_STREAM) { D->page_bad = 1; return 0; }
            continue;
        }
        int32_t st = get(D, at, "Subtype");
        if (st >= 0 && str_is(D, st, "Link")) {
            *pos = i + 1;
            D->lhs[2 * i] = (plink){D, at};
            *link = &D->lhs[2 * i];
            return 1;
        }
        if (D->page_bad) return 0;
    }
    return 0;
}

static void *l_action(void *link) { /* CPDF_Link::GetAction: GetDictFor("A") */
    plink *l = link;
    pdoc *D = l->D;
    int32_t a = as_dict(D, get(D, l->dict, "A"));
    if (D->bad) { D->page_bad = 1; return NULL; }
    if (a < 0) return NULL;
    l[1] = (plink){D, a};
    return &l[1];
}

static unsigned long l_action_type(void *action) { /* 3: PDFACTION_URI; 0 otherwise */
    plink *l = action;
    pdoc *D = l->D;
    int32_t type = get(D, l->dict, "Type");
    if (type >= 0 && !name_is(D, type, "Action")) return 0;
    return name_is(D, get(D, l->dict, "S"), "URI") ? 3 : 0;
}

static unsigned long l_uri(void *doc, void *action, void *buf, unsigned long buflen) {
    (void)doc;
    if (l_action_type(action) != 3) return 0;
    plink *l = action;
    pdoc *D = l->D;
    int32_t u = get(D, l->dict, "URI"), n = 0;
    if (u >= 0) {
        n = bytes_of(D, u);
        if (n < 0) { D->page_bad = 1; return 0; }
    }
    if (buf && (unsigned long)n + 1 <= buflen) {
        if (n) memcpy(buf, D->sbuf, (size_t)n);
        ((unsigned char *)buf)[n] = 0;
    }
    return (unsigned long)n + 1;
}

typedef struct { float left, top, right, bottom; } lrect;

static int l_rect(void *link, void *out) { /* GetRectFor("Rect"): 4 numbers, else zeros */
    plink *l = link;
    pdoc *D = l->D;
    lrect r = {0, 0, 0, 0};
    int32_t a = as_array(D, get(D, l->dict, "Rect"));
    if (a >= 0 && D->pool[a].b == 4) {
        int32_t f = D->pool[a].a;
        r.left = num_float(D, f); r.bottom = num_float(D, f + 1);
        r.right = num_float(D, f + 2); r.top = num_float(D, f + 3);
    }
    if (D->bad) D->page_bad = 1;
    memcpy(out, &r, sizeof r);
    return 1;
}

static int l_nquads(void *link) {
    plink *l = link;
    int32_t a = as_array(l->D, get(l->D, l->dict, "QuadPoints"));
    if (l->D->bad) l->D->page_bad = 1;
    return a >= 0 ? l->D->pool[a].b / 8 : 0;
}

static int l_quad(void *link, int i, float *q) {
    plink *l = link;
    pdoc *D = l->D;
    int32_t a = as_array(D, get(D, l->dict, "QuadPoints"));
    if (a < 0 || i < 0 || i >= D->pool[a].b / 8) return 0;
    for (int j = 0; j < 8; j++) q[j] = num_float(D, D->pool[a].a + 8 * i + j);
    if (D->bad) D->page_bad = 1;
    return 1;
}

/* The link functions, in the order of FUNCTIONS' FPDFLink_Enumerate .. FPDFLink_GetQuadPoints
 * in native/__init__.py (Enumerate, GetAction, Action_GetType, GetURIPath, GetAnnotRect,
 * CountQuadPoints, GetQuadPoints). */
void pd_link_fns(void **out) {
    out[0] = (void *)l_enum; out[1] = (void *)l_action; out[2] = (void *)l_action_type;
    out[3] = (void *)l_uri; out[4] = (void *)l_rect; out[5] = (void *)l_nquads;
    out[6] = (void *)l_quad;
}

/* 0 when page `index` has no annotation that readers/annots.py reads (a FreeText annotation or
 * a widget: FPDFPage_GetAnnot's dictionary with that /Subtype name), 1 when it may have. */
static int text_annots(pdoc *D, int32_t index);

int pd_text_annots(pdoc *D, int32_t index) { /* the annotations parsed are released */
    if (!D || index < 0 || index >= D->npages) return 1;
    release(D);
    mark(D, index);
    int r = text_annots(D, index);
    release(D);
    return r;
}

static int text_annots(pdoc *D, int32_t index) {
    D->bad = 0;
    int32_t a = get(D, D->page_dict[index], "Annots");
    if (a < 0) return 0;
    int32_t arr = direct(D, a);
    if (D->bad || arr < 0 || D->pool[arr].t != V_ARR) return 1;
    for (int32_t i = 0; i < D->pool[arr].b; i++) {
        int32_t at = direct(D, D->pool[arr].a + i);
        if (D->bad) return 1;
        if (at < 0 || (D->pool[at].t != V_DICT && D->pool[at].t != V_STREAM)) continue;
        if (D->pool[at].t == V_STREAM) return 1;
        int32_t st = get(D, at, "Subtype");
        if (name_is(D, st, "FreeText") || name_is(D, st, "Widget")) return 1;
    }
    return 0;
}
