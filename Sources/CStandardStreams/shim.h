// C's standard streams as functions. The C library declares stdout and stderr as mutable globals,
// which Swift 6 refuses to read from code that may run on any thread; they are set before main and
// never reassigned by soundloc, so reading them through a function is safe (FILE calls lock the
// stream themselves).
#include <stdio.h>

static inline FILE *standard_output_stream(void) { return stdout; }
static inline FILE *standard_error_stream(void) { return stderr; }
