/* What every header of app/project/ shares: the must-check attribute (the room uses libc and
 * utf8proc only, so it does not borrow core/'s). */
#ifndef WEFT_APP_PROJECT_COMMON_H
#define WEFT_APP_PROJECT_COMMON_H

#if defined(__GNUC__)
#define PROJ_MUST_CHECK __attribute__((warn_unused_result))
#else
#define PROJ_MUST_CHECK
#endif

#endif
