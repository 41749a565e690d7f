/* pdfchars.c: the per-character loop of reflow's PDF reader, in C.
 *
 * Walks a PDFium text page once and samples each word (a run of non-separator characters;
 * PDFium's merged line-end hyphen U+0002 also ends a word) exactly as the pure-Python sampler
 * in reflow/readers/pdf.py does: loose boxes of the first and last character, the baseline and
 * the visible font size (Tf operand times the text matrix scale) and font handle of the first.
 * PDFium is not linked: the caller passes PDFium's function pointers (from pypdfium2's own
 * libpdfium), so this builds with any C compiler and no headers.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct { float left, top, right, bottom; } rectf;
typedef struct { float a, b, c, d, e, f; } matrixf;

typedef unsigned (*get_unicode_t)(void *, int);
typedef int (*get_loose_box_t)(void *, int, rectf *);
typedef int (*get_origin_t)(void *, int, double *, double *);
typedef double (*get_font_size_t)(void *, int);
typedef int (*get_matrix_t)(void *, int, matrixf *);
typedef void *(*get_text_object_t)(void *, int);
typedef void *(*textobj_get_font_t)(void *);
typedef int (*count_objects_t)(void *);
typedef void *(*get_object_t)(void *, int);
typedef int (*obj_get_type_t)(void *);
typedef int (*link_enum_t)(void *, int *, void **);
typedef void *(*link_action_t)(void *);
typedef unsigned long (*action_type_t)(void *);
typedef unsigned long (*action_uri_t)(void *, void *, void *, unsigned long);
typedef int (*link_rect_t)(void *, rectf *);
typedef int (*link_nquads_t)(void *);
typedef int (*link_quad_t)(void *, int, float *);

enum { F_UNICODE, F_LOOSE, F_ORIGIN, F_FONTSIZE, F_MATRIX, F_TEXTOBJ, F_FONT,
       F_COUNTOBJ, F_GETOBJ, F_OBJTYPE, F_LINKENUM, F_LINKACTION, F_ACTIONTYPE, F_ACTIONURI,
       F_LINKRECT, F_LINKNQUADS, F_LINKQUAD, F_MCID, F_N };

/* Word separators: the same set as _SEP_RANGES in readers/pdf.py. */
static int is_sep(unsigned u) {
    if (u <= 0x20) return u != 0x02;
    if (u < 0x7F) return 0;
    return u == 0x7F || u == 0x85 || u == 0xA0 || u == 0x1680 || (u >= 0x2000 && u <= 0x200B) ||
           u == 0x2028 || u == 0x2029 || u == 0x202F || u == 0x205F || u == 0x3000 ||
           u == 0xFEFF || u == 0xFFFE || u == 0xFFFF;
}

int pc_abi_version(void) { return 15; }

/* PDFium gives a character above U+FFFF as two character indices, the UTF-16 surrogate pair:
 * the high one becomes the character, the low one PAIR_TAIL (a noncharacter that is no
 * separator, so the word goes on, and that readers/pdf.py drops), so indices stay PDFium's.
 * join_pairs in readers/pdf.py is the same step. */
#define PAIR_TAIL 0x1FFFFu
static void join_pairs(uint32_t *codes, int n) {
    for (int i = 0; i + 1 < n; i++) {
        uint32_t h = codes[i], l = codes[i + 1];
        if (h >= 0xD800 && h <= 0xDBFF && l >= 0xDC00 && l <= 0xDFFF) {
            codes[i] = 0x10000u + ((h - 0xD800u) << 10) + (l - 0xDC00u);
            codes[++i] = PAIR_TAIL;
        }
    }
}

/* Hebrew, Arabic, Syriac, Thaana, N'Ko... and their presentation forms: read right to left. */
static int is_rtl(unsigned u) {
    return (u >= 0x0590 && u <= 0x08FF) || (u >= 0xFB1D && u <= 0xFDFF) ||
           (u >= 0xFE70 && u <= 0xFEFC);
}

/* rule line-split, as _new_line in readers/pdf.py. p and w: x0, top, x1, bottom, baseline, size */
static int new_line(const double *p, const double *w, int rtl) {
    double size = p[5] > w[5] ? p[5] : w[5];
    double overlap, h, hp, hw;
    if (size < 1.0) size = 1.0;
    overlap = (p[3] < w[3] ? p[3] : w[3]) - (p[1] > w[1] ? p[1] : w[1]);
    hp = p[3] - p[1];
    hw = w[3] - w[1];
    h = hp < hw ? hp : hw;
    if (h > 0 && overlap < 0.5 * h) return 1;
    if (h <= 0 && fabs(p[4] - w[4]) > 0.5 * size) return 1;
    if (w[0] < p[2] - 0.25 * size) {
        /* right-to-left text goes on to the left of the previous word */
        if (rtl && w[2] <= p[0] + 0.25 * size && p[0] - w[2] <= 2.5 * size) return 0;
        return 1;
    }
    if (w[0] - p[2] > 2.5 * size) return 1;
    return 0;
}

/* Sample text page ``tp`` of ``n`` characters. Outputs (each sized for n entries):
 * codes[n]; starts[n], ends[n]; breaks[n] (1: the word starts a line);
 * geom[6*n] column-major (x0, top, x1, bottom, baseline, size);
 * fonts[n].
 * Coordinates: top-left origin, y down (``left``/``ptop``: the page box's left and top).
 * Returns the number of words. */
int pc_sample(void **fn, void *tp, int n, double left, double ptop, uint32_t *codes,
              int32_t *starts, int32_t *ends, int32_t *breaks, double *geom, uint64_t *fonts) {
    get_unicode_t uni = (get_unicode_t)fn[F_UNICODE];
    get_loose_box_t loose = (get_loose_box_t)fn[F_LOOSE];
    get_origin_t origin = (get_origin_t)fn[F_ORIGIN];
    get_font_size_t fsize = (get_font_size_t)fn[F_FONTSIZE];
    get_matrix_t matrix = (get_matrix_t)fn[F_MATRIX];
    get_text_object_t tobj = (get_text_object_t)fn[F_TEXTOBJ];
    textobj_get_font_t tfont = (textobj_get_font_t)fn[F_FONT];
    int i, k = 0;
    rectf r;
    matrixf m;
    double ox, oy, prev[6], cur[6];

    for (i = 0; i < n; i++) codes[i] = uni(tp, i);
    join_pairs(codes, n);
    i = 0;
    while (i < n) {
        int s, e;
        double x0, t0, b0, x1, t1, b1, size;
        void *obj, *font = NULL;
        if (is_sep(codes[i])) { i++; continue; }
        s = i;
        while (i < n && !is_sep(codes[i])) {
            if (codes[i++] == 0x02) break;
        }
        e = i;
        if (!loose(tp, s, &r)) r.left = r.top = r.right = r.bottom = 0.0f;
        x0 = r.left; x1 = r.right; t0 = r.top; b0 = r.bottom;
        if (e - 1 != s && !loose(tp, e - 1, &r)) r.left = r.top = r.right = r.bottom = 0.0f;
        if (r.left < x0) x0 = r.left; /* right-to-left words start on the right */
        if (r.right > x1) x1 = r.right;
        t1 = r.top; b1 = r.bottom;
        if (!origin(tp, s, &ox, &oy)) ox = oy = 0.0;
        size = fsize(tp, s);
        if (matrix(tp, s, &m))
            size = size * sqrt(fabs((double)m.a * (double)m.d - (double)m.b * (double)m.c));
        obj = tobj(tp, s);
        if (obj) font = tfont(obj);
        cur[0] = x0 - left;
        cur[1] = ptop - (t0 > t1 ? t0 : t1);
        cur[2] = x1 - left;
        cur[3] = ptop - (b0 < b1 ? b0 : b1);
        cur[4] = ptop - oy;
        cur[5] = size;
        starts[k] = s;
        ends[k] = e;
        breaks[k] = k == 0 || new_line(prev, cur, is_rtl(codes[s]) || is_rtl(codes[starts[k - 1]]));
        for (int j = 0; j < 6; j++) {
            geom[j * n + k] = cur[j];
            prev[j] = cur[j];
        }
        fonts[k] = (uint64_t)(uintptr_t)font;
        k++;
    }
    return k;
}

/* Lines from the words of the last pc_sample (k words; geom columns n apart): line j has
 * words first[j] .. first[j] + count[j] - 1, its box in lbox[4*j..] and flags[j]: bit 1 when
 * all its words have one font and size and are separated by exactly one U+0020 (not after a
 * merged hyphen), so its raw text is one slice of the page text. lspan[2*j..]: the line's
 * first and end character; lfont[j], lsize[j]: its first word's font and size (what a simple
 * line needs, so Python need not make a tuple per word). Returns the number of lines. */
int pc_lines(int n, int k, const uint32_t *codes, const int32_t *starts, const int32_t *ends,
             const int32_t *breaks, const double *geom, const uint64_t *fonts, int32_t *first,
             int32_t *count, double *lbox, int32_t *flags, int32_t *lspan, uint64_t *lfont,
             double *lsize) {
    int j = -1, w;
    for (w = 0; w < k; w++) {
        double x0 = geom[w], top = geom[n + w], x1 = geom[2 * n + w], bot = geom[3 * n + w];
        if (w == 0 || breaks[w]) {
            j++;
            first[j] = w;
            count[j] = 1;
            lbox[4 * j] = x0;
            lbox[4 * j + 1] = top;
            lbox[4 * j + 2] = x1;
            lbox[4 * j + 3] = bot;
            flags[j] = 1;
            lspan[2 * j] = starts[w];
            lspan[2 * j + 1] = ends[w];
            lfont[j] = fonts[w];
            lsize[j] = geom[5 * n + w];
            continue;
        }
        count[j]++;
        lspan[2 * j + 1] = ends[w];
        if (x0 < lbox[4 * j]) lbox[4 * j] = x0;
        if (top < lbox[4 * j + 1]) lbox[4 * j + 1] = top;
        if (x1 > lbox[4 * j + 2]) lbox[4 * j + 2] = x1;
        if (bot > lbox[4 * j + 3]) lbox[4 * j + 3] = bot;
        if (fonts[w] != fonts[w - 1] || geom[5 * n + w] != geom[5 * n + w - 1] ||
            starts[w] != ends[w - 1] + 1 || codes[ends[w - 1]] != 0x20 ||
            codes[ends[w - 1] - 1] == 0x02)
            flags[j] = 0;
    }
    return j + 1;
}

/* rule link-anchor, as _marks in readers/pdf.py, over the words of the last pc_sample: a word
 * that a rectangle covers (horizontally, and its middle vertically) is linked whole to the first
 * such rectangle; otherwise each character goes to the first rectangle touching its word that
 * holds its box centre. Marks: (word, first char, end char, rectangle); whole words linked to one
 * rectangle in a row on one line are one mark. Returns their number, -1 if ``out`` is too small. */
int pc_anchor(void **fn, void *tp, double left, double ptop, int n, int k, const double *geom,
              const int32_t *starts, const int32_t *ends, const int32_t *breaks, int nr,
              const double *rects, int32_t *out, int maxm) {
    get_loose_box_t loose = (get_loose_box_t)fn[F_LOOSE];
    int w, r, m = 0, last_whole = -2;
    rectf lb;
    for (w = 0; w < k; w++) {
        double x0 = geom[w], top = geom[n + w], x1 = geom[2 * n + w], bot = geom[3 * n + w];
        double mid = (top + bot) / 2;
        int near = 0, whole = -1, ci;
        for (r = 0; r < nr; r++) {
            const double *q = rects + 4 * r;
            if (q[0] < x1 && x0 < q[2] && q[1] < bot && top < q[3]) {
                near = 1;
                if (q[0] <= x0 && x1 <= q[2] && q[1] <= mid && mid <= q[3]) {
                    whole = r;
                    break;
                }
            }
        }
        if (!near) continue;
        if (whole >= 0) {
            if (last_whole == w - 1 && !breaks[w] && out[4 * (m - 1) + 3] == whole) {
                out[4 * (m - 1) + 2] = ends[w]; /* the same link goes on */
            } else {
                if (m >= maxm) return -1;
                out[4 * m] = w; out[4 * m + 1] = starts[w]; out[4 * m + 2] = ends[w];
                out[4 * m + 3] = whole;
                m++;
            }
            last_whole = w;
            continue;
        }
        last_whole = -2;
        for (ci = starts[w]; ci < ends[w]; ci++) {
            double cx = -1e9, cy = -1e9; /* the loose box centre, as _FallbackSampler.centre */
            if (loose(tp, ci, &lb)) {
                cx = ((double)lb.left + (double)lb.right) / 2 - left;
                cy = ptop - ((double)lb.top + (double)lb.bottom) / 2;
            }
            for (r = 0; r < nr; r++) {
                const double *q = rects + 4 * r;
                if (q[0] < x1 && x0 < q[2] && q[1] < bot && top < q[3] && q[0] <= cx &&
                    cx <= q[2] && q[1] <= cy && cy <= q[3]) {
                    if (m >= maxm) return -1;
                    out[4 * m] = w; out[4 * m + 1] = ci; out[4 * m + 2] = ci + 1;
                    out[4 * m + 3] = r;
                    m++;
                    break;
                }
            }
        }
    }
    return m;
}

/* Image objects directly on the page (a scan shows as one). */
int pc_count_images(void **fn, void *page) {
    int i, c = 0, n = ((count_objects_t)fn[F_COUNTOBJ])(page);
    get_object_t get = (get_object_t)fn[F_GETOBJ];
    obj_get_type_t typ = (obj_get_type_t)fn[F_OBJTYPE];
    for (i = 0; i < n; i++)
        if (typ(get(page, i)) == 3) c++;
    return c;
}

/* The indices of the image objects directly on the page, up to max of them in out; returns how
 * many there are (readers/images.py: figures). */
int pc_image_objects(void **fn, void *page, int32_t *out, int max) {
    int i, c = 0, n = ((count_objects_t)fn[F_COUNTOBJ])(page);
    get_object_t get = (get_object_t)fn[F_GETOBJ];
    obj_get_type_t typ = (obj_get_type_t)fn[F_OBJTYPE];
    for (i = 0; i < n; i++)
        if (typ(get(page, i)) == 3) {
            if (c < max) out[c] = i;
            c++;
        }
    return c;
}

static int cmp_ptr(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
    return x < y ? -1 : x > y;
}

static int has_ptr(void **sorted, int n, void *p) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if ((uintptr_t)sorted[mid] < (uintptr_t)p) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && sorted[lo] == p;
}

/* rule dropped-glyphs, as dropped_text_objects in readers/dropped.py: of the first ``nobj``
 * page objects, the text ones (out[0]), and of those the ones owning no character of text page
 * ``tp`` (``nchars`` characters; tp NULL: none) whose font owns none either (out[1]). Returns
 * 0, or -1 without memory (the caller then counts in Python). */
int pc_dropped(void **fn, void *page, void *tp, int nobj, int nchars, int32_t *out) {
    get_object_t get = (get_object_t)fn[F_GETOBJ];
    obj_get_type_t typ = (obj_get_type_t)fn[F_OBJTYPE];
    get_text_object_t owner = (get_text_object_t)fn[F_TEXTOBJ];
    textobj_get_font_t font = (textobj_get_font_t)fn[F_FONT];
    void **texts, **seen = NULL, **read = NULL;
    int i, nt = 0, ns = 0, nrd = 0, missing = 0;
    if (nobj < 0) nobj = 0;
    if (!tp || nchars < 0) nchars = 0;
    texts = malloc(sizeof(void *) * (size_t)(nobj > 0 ? nobj : 1));
    if (!texts) return -1;
    for (i = 0; i < nobj; i++) {
        void *o = get(page, i);
        if (o && typ(o) == 1) texts[nt++] = o;
    }
    out[0] = nt;
    out[1] = 0;
    seen = malloc(sizeof(void *) * (size_t)(nchars > 0 ? nchars : 1));
    read = malloc(sizeof(void *) * (size_t)(nt > 0 ? nt : 1));
    if (!seen || !read) {
        free(texts);
        free(seen);
        free(read);
        return -1;
    }
    for (i = 0; i < nchars; i++) seen[ns++] = owner(tp, i);
    qsort(seen, (size_t)ns, sizeof(void *), cmp_ptr);
    for (i = 0; i < nt; i++)
        if (has_ptr(seen, ns, texts[i])) read[nrd++] = font(texts[i]);
    qsort(read, (size_t)nrd, sizeof(void *), cmp_ptr);
    for (i = 0; i < nt; i++)
        if (!has_ptr(seen, ns, texts[i]) && !has_ptr(read, nrd, font(texts[i]))) missing++;
    out[1] = missing;
    free(texts);
    free(seen);
    free(read);
    return 0;
}

static void put_rect(double *out, double l, double t, double r, double b, double left, double ptop) {
    double x0 = l - left, x1 = r - left, y0 = ptop - t, y1 = ptop - b;
    out[0] = x0 < x1 ? x0 : x1;
    out[1] = y0 < y1 ? y0 : y1;
    out[2] = x0 < x1 ? x1 : x0;
    out[3] = y0 < y1 ? y1 : y0;
}

/* URI link annotations of a page, as _page_links in readers/pdf.py: URL bytes of link j at
 * urls[url_off[j]:url_off[j+1]]; its rectangles (quads if any, else the annotation rectangle)
 * are the rects[4*r..] with rect_link[r] == j. Returns the number of links, *nrects the number
 * of rectangles; -1 when a buffer is too small (the caller then uses the Python path). */
int pc_links(void **fn, void *doc, void *page, double left, double ptop, double *rects,
             int32_t *rect_link, int maxr, char *urls, int urlcap, int32_t *url_off, int maxl,
             int *nrects) {
    link_enum_t enumerate = (link_enum_t)fn[F_LINKENUM];
    link_action_t get_action = (link_action_t)fn[F_LINKACTION];
    action_type_t action_type = (action_type_t)fn[F_ACTIONTYPE];
    action_uri_t uri = (action_uri_t)fn[F_ACTIONURI];
    link_rect_t annot_rect = (link_rect_t)fn[F_LINKRECT];
    link_nquads_t nquads = (link_nquads_t)fn[F_LINKNQUADS];
    link_quad_t quad = (link_quad_t)fn[F_LINKQUAD];
    int pos = 0, guard = 0, nl = 0, nr = 0, used = 0;
    void *link = NULL;
    rectf rc;
    float q[8];
    url_off[0] = 0;
    while (enumerate(page, &pos, &link) && guard < 10000) {
        void *action;
        unsigned long k;
        int nq, qi, got = 0, have_rect;
        guard++;
        if (!link) continue;
        action = get_action(link);
        if (!action || action_type(action) != 3) continue;
        k = uri(doc, action, NULL, 0);
        if (k <= 1) continue;
        if (nl + 1 >= maxl || used + (long)k > urlcap) return -1;
        uri(doc, action, urls + used, k);
        used += (int)k - 1;
        have_rect = annot_rect(link, &rc);
        nq = nquads(link);
        if (nq > 256) nq = 256;
        for (qi = 0; qi < nq; qi++) {
            if (quad(link, qi, q)) {
                double xs[4] = {q[0], q[2], q[4], q[6]}, ys[4] = {q[1], q[3], q[5], q[7]};
                double mnx = xs[0], mxx = xs[0], mny = ys[0], mxy = ys[0];
                for (int j = 1; j < 4; j++) {
                    if (xs[j] < mnx) mnx = xs[j];
                    if (xs[j] > mxx) mxx = xs[j];
                    if (ys[j] < mny) mny = ys[j];
                    if (ys[j] > mxy) mxy = ys[j];
                }
                if (nr >= maxr) return -1;
                put_rect(rects + 4 * nr, mnx, mxy, mxx, mny, left, ptop);
                rect_link[nr++] = nl;
                got = 1;
            }
        }
        if (!got && have_rect) {
            if (nr >= maxr) return -1;
            put_rect(rects + 4 * nr, rc.left, rc.top, rc.right, rc.bottom, left, ptop);
            rect_link[nr++] = nl;
        }
        url_off[++nl] = used;
    }
    *nrects = nr;
    return nl;
}

/* Structure-tree functions (native/__init__.py STRUCT_FUNCTIONS, in this order). */
typedef unsigned long (*se_type_t)(void *, void *, unsigned long);
typedef int (*se_count_t)(void *);
typedef void *(*se_child_t)(void *, int);
typedef int (*se_mcid_t)(void *, int);
enum { S_TYPE, S_NCHILD, S_CHILD, S_NMCID, S_MCID, S_TREE_N, S_TREE_CHILD, S_N };

/* The structure-tree walk and its reading (readers/tagged.py: mcid_tags, _enter, _role_tag) in
 * one pass: for each marked-content id an element claims, after its children, the tag its
 * context gives: out[10*i..] = mcid, role, block, group, row, depth, article, aside, and the
 * low and high half of the block element's key (t_key; role: an index into TAG_ROLES in
 * native/__init__.py). Ids come from *next_id on, as the Python walk draws them from its
 * counter; *slots: the child slots of the elements walked (PDFium loads as many to build the
 * page's tree). Returns the number of records, -1 when out[] is too small. */
#define TREC 10 /* ints per pc_tags record */
enum { K_NONE, K_P, K_H, K_LI, K_TD, K_TH, K_CAPTION, K_CODE, K_NOTE, K_LBL, K_H1, K_H2, K_H3,
       K_H4, K_H5, K_H6, K_TITLE, K_L, K_TABLE, K_TR, K_BLOCKQUOTE, K_FIGURE, K_ART, K_ASIDE,
       K_OTHER };
enum { R_OTHER, R_P, R_LI, R_CELL, R_CAPTION, R_QUOTE, R_CODE, R_H1, R_H2, R_H3, R_H4, R_H5,
       R_H6 };
static const char *KIND_NAMES[] = {"", "P", "H", "LI", "TD", "TH", "Caption", "Code", "Note",
                                   "Lbl", "H1", "H2", "H3", "H4", "H5", "H6", "Title", "L",
                                   "Table", "TR", "BlockQuote", "Figure", "Art", "Aside"};

typedef struct {
    uint64_t bkey; /* the block element's path of child indices from the root, hashed */
    int32_t list, depth, table, row, quote, block, kind;
    uint8_t has_list, has_depth, has_table, has_row, has_quote, has_figure, art, aside,
        has_block, has_li;
} tctx;

typedef struct {
    void **fn;
    int32_t *out;
    int cap, n, budget, max_depth, overflow;
    int64_t slots; /* child slots seen: what PDFium itself loads to build the page's tree */
    int32_t next;
    unsigned char buf[64];
} twalk_t;

static int kind_of(const unsigned char *b, int nbytes) {
    char s[33];
    int i, k = nbytes / 2;
    if (k <= 0) return K_NONE;
    if (k > 32) return K_OTHER;
    for (i = 0; i < k; i++) {
        if (b[2 * i + 1] != 0 || b[2 * i] == 0 || b[2 * i] > 0x7E) return K_OTHER;
        s[i] = (char)b[2 * i];
    }
    s[k] = 0;
    for (i = 1; i < K_OTHER; i++) {
        const char *p = KIND_NAMES[i], *q = s;
        while (*p && *p == *q) p++, q++;
        if (!*p && !*q) return i;
    }
    return K_OTHER;
}

static int is_block_kind(int k) { return k >= K_P && k <= K_TITLE; }

static void t_emit(twalk_t *w, const tctx *c, int32_t mcid) {
    int32_t role = R_OTHER, block = 0, group = 0, row = 0, depth = 0;
    if (c->has_block) {
        block = c->block;
        switch (c->kind) {
        case K_TD: case K_TH:
            role = R_CELL; group = c->has_table ? c->table : 0; row = c->has_row ? c->row : 0;
            break;
        case K_LI:
            role = R_LI; group = c->has_list ? c->list : 0; depth = c->has_depth ? c->depth : 1;
            break;
        case K_H1: case K_TITLE: role = R_H1; break;
        case K_H2: role = R_H2; break;
        case K_H3: role = R_H3; break;
        case K_H4: role = R_H4; break;
        case K_H5: role = R_H5; break;
        case K_H6: role = R_H6; break;
        default:
            if (c->kind == K_CAPTION || (c->has_figure && c->kind == K_P)) role = R_CAPTION;
            else if (c->has_quote) { role = R_QUOTE; group = c->quote; }
            else if (c->kind == K_CODE) role = R_CODE;
            else if (c->kind == K_P || c->kind == K_NOTE || c->kind == K_H || c->kind == K_LBL)
                role = R_P;
        }
    }
    if (w->n + TREC > w->cap) { w->overflow = 1; return; }
    int32_t *o = w->out + w->n;
    uint64_t key = c->has_block ? c->bkey : 0;
    o[0] = mcid; o[1] = role; o[2] = block; o[3] = group; o[4] = row; o[5] = depth;
    o[6] = c->art; o[7] = c->aside;
    o[8] = (int32_t)(uint32_t)(key & 0xffffffffu); o[9] = (int32_t)(uint32_t)(key >> 32);
    w->n += TREC;
}

/* An element's key: its path of child indices from the tree's root, hashed. PDFium builds a
 * tree per page, but keeps every child slot of an element (null where the child has no content
 * on the page), so the path, unlike the element handle, is the same on every page. */
static uint64_t t_key(uint64_t path, int i) { return path * 1000003u + (uint64_t)(i + 1); }

static void t_walk(twalk_t *w, void *el, const tctx *parent, int depth, uint64_t path) {
    int i, n, k, m;
    tctx c = *parent;
    if (w->overflow || w->budget <= 0 || depth > w->max_depth) return;
    w->budget--;
    n = (int)((se_type_t)w->fn[S_TYPE])(el, w->buf, sizeof w->buf);
    k = n - 2 > 64 ? 64 : (n - 2 < 0 ? 0 : n - 2);
    k = kind_of(w->buf, k);
    switch (k) {
    case K_L:
        c.list = w->next++; c.has_list = 1;
        c.depth = (c.has_depth ? c.depth : 0) + 1; c.has_depth = 1;
        break;
    case K_TABLE: c.table = w->next++; c.has_table = 1; break;
    case K_TR: c.row = w->next++; c.has_row = 1; break;
    case K_BLOCKQUOTE: c.quote = w->next++; c.has_quote = 1; break;
    case K_FIGURE: w->next++; c.has_figure = 1; break;
    case K_ART: c.art = 1; break;
    case K_ASIDE: c.aside = 1; break;
    }
    if (is_block_kind(k) && !((k == K_LBL || k == K_P) && c.has_li)) {
        c.block = w->next++; c.has_block = 1; c.bkey = path;
        if (k == K_LI) c.has_li = 1;
        c.kind = k;
    }
    n = ((se_count_t)w->fn[S_NCHILD])(el);
    if (n > 0) w->slots += n;
    for (i = 0; i < n; i++) {
        void *child = ((se_child_t)w->fn[S_CHILD])(el, i);
        if (child) t_walk(w, child, &c, depth + 1, t_key(path, i));
        if (w->overflow) return;
    }
    m = ((se_count_t)w->fn[S_NMCID])(el);
    if (m > 10000) m = 10000;
    for (i = 0; i < m && !w->overflow; i++) {
        int32_t mc = ((se_mcid_t)w->fn[S_MCID])(el, i);
        if (mc >= 0) t_emit(w, &c, mc);
    }
}

int pc_tags(void **fn, void *tree, int budget, int max_depth, int32_t *next_id, int32_t *out,
            int cap, int64_t *slots) {
    twalk_t w;
    tctx root;
    int i, n = ((se_count_t)fn[S_TREE_N])(tree);
    for (i = 0; i < (int)sizeof w.buf; i++) w.buf[i] = 0;
    for (i = 0; i < (int)sizeof root; i++) ((unsigned char *)&root)[i] = 0;
    w.fn = fn; w.out = out; w.cap = cap; w.n = 0; w.budget = budget;
    w.max_depth = max_depth; w.overflow = 0; w.next = *next_id; w.slots = n > 0 ? n : 0;
    for (i = 0; i < n && !w.overflow; i++) {
        void *el = ((se_child_t)fn[S_TREE_CHILD])(tree, i);
        if (el) t_walk(&w, el, &root, 0, t_key(0, i));
    }
    *slots = w.slots;
    if (w.overflow) return -1;
    *next_id = w.next;
    return w.n / TREC;
}

/* The marked-content id of each word's first character's text object (-1: none), for the
 * words of the last pc_sample. */
void pc_word_mcids(void **fn, void *tp, int k, const int32_t *starts, int32_t *out) {
    get_text_object_t tobj = (get_text_object_t)fn[F_TEXTOBJ];
    typedef int (*mcid_t)(void *);
    mcid_t mcid = (mcid_t)fn[F_MCID];
    for (int w = 0; w < k; w++) {
        void *obj = tobj(tp, starts[w]);
        out[w] = obj ? mcid(obj) : -1;
    }
}
