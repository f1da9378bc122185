/* The participant chooser (see chooser.h). */
#include "app/editor/chooser.h"

bool chooser_open(struct editor *ed, int kind, const char *what)
{
    const struct session *s = ed->session;
    if (!s) {
        editor_message(ed, false, "Not in a shared session: there is nobody to %s.", what);
        return false;
    }
    if (s->npeople == 0) {
        editor_message(ed, false, "Nobody else is here to %s.", what);
        return false;
    }
    ed->follow_pick = 0;
    prompt_open(&ed->prompt, kind, NULL, 0);
    return true;
}

enum chooser_step chooser_key(struct editor *ed, const struct keyev *ev, size_t n,
                              uint32_t again, unsigned again_mods)
{
    uint32_t k = ev->code;
    bool ctrl = ev->mods == MOD_CTRL;
    if (n == 0 || k == K_ESC || (ctrl && (k == 'c' || k == 'q'))) {
        prompt_close(&ed->prompt);
        return CHOOSER_CANCEL;
    }
    if (ed->follow_pick >= n)
        ed->follow_pick = 0;
    if (k == K_RIGHT || k == K_DOWN || (k == K_TAB && !ev->mods) ||
        (again && k == again && ev->mods == again_mods))
        ed->follow_pick = (ed->follow_pick + 1) % n;
    else if (k == K_LEFT || k == K_UP || (k == K_TAB && ev->mods == MOD_SHIFT))
        ed->follow_pick = (ed->follow_pick + n - 1) % n;
    if (k != K_ENTER)
        return CHOOSER_MOVE;
    prompt_close(&ed->prompt);
    return CHOOSER_PICK;
}
