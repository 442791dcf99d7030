#ifndef EHEALTH_CLIBXML2_SHIM_H
#define EHEALTH_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; its headers would then pull the system ICU, which clashes
// with the ICU bundled in Foundation. We never use libxml2's ICU encoders.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/c14n.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlregexp.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

// xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state.
static inline void ehealth_xmlFree(void *pointer) { xmlFree(pointer); }

static inline const char *ehealth_libxml2_version(void) { return LIBXML_DOTTED_VERSION; }

#endif
