#!/usr/bin/env bash
# Loads a citizen's eID keys and certificates into a SoftHSM2 token laid out like a Belgian eID
# card (protocol-facts, "Key algorithms in the field"): private keys and certificates labelled
# `Authentication` (CKA_ID 02) and `Signature` (CKA_ID 03), certificates `CA` (04) and `Root` (06).
#
# Everything lives under the given folder: its own softhsm2.conf and token store, so the system's
# tokens are never touched. Use the token afterwards with SOFTHSM2_CONF=<dir>/softhsm2.conf.
#
# The PINs are test PINs, read from the environment (never put a real card's PIN in a script):
#   SOFTHSM_USER_PIN  token user PIN (default 1234, eID-like)
#   SOFTHSM_SO_PIN    security officer PIN (default 12345678)
#   P12_PASSWORD      password of the PKCS#12 input files
#   SOFTHSM_MODULE    the SoftHSM2 PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so)
set -euo pipefail

usage() {
    cat <<'EOF'
usage: softhsm-load-citizen.sh --dir DIR [--label BELPIC] [--reset]
           ( --authentication-p12 FILE --signature-p12 FILE
           | --authentication-key FILE --authentication-cert FILE
             --signature-key FILE --signature-cert FILE [--ca FILE] [--root FILE] )
           [--signature-always-authenticate]

  --dir DIR      folder for softhsm2.conf and the token store (created if needed)
  --label LABEL  token label (default BELPIC, as a Belgian eID card reports)
  --reset        re-initialise an existing token with that label (simulates another card)
  --*-p12        PKCS#12 file holding the key, its certificate and its CA chain (P12_PASSWORD)
  --*-key/--*-cert  PEM private key (PKCS#8, PKCS#1 or SEC1) and PEM certificate
  --ca, --root   PEM CA and root certificates (with PKCS#12 input: taken from the file)
  --signature-always-authenticate  mark the Signature key CKA_ALWAYS_AUTHENTICATE (PIN per signature)
EOF
    exit 2
}

dir="" label="BELPIC" reset=0 always_auth=0
auth_p12="" sig_p12="" auth_key="" auth_cert="" sig_key="" sig_cert="" ca_cert="" root_cert=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --label) label="$2"; shift 2 ;;
        --reset) reset=1; shift ;;
        --authentication-p12) auth_p12="$2"; shift 2 ;;
        --signature-p12) sig_p12="$2"; shift 2 ;;
        --authentication-key) auth_key="$2"; shift 2 ;;
        --authentication-cert) auth_cert="$2"; shift 2 ;;
        --signature-key) sig_key="$2"; shift 2 ;;
        --signature-cert) sig_cert="$2"; shift 2 ;;
        --ca) ca_cert="$2"; shift 2 ;;
        --root) root_cert="$2"; shift 2 ;;
        --signature-always-authenticate) always_auth=1; shift ;;
        -h|--help) usage ;;
        *) echo "unknown option: $1" >&2; usage ;;
    esac
done
[[ -n "$dir" ]] || usage
if [[ -n "$auth_p12$sig_p12" ]]; then
    [[ -n "$auth_p12" && -n "$sig_p12" && -z "$auth_key$sig_key" ]] || usage
    [[ -n "${P12_PASSWORD:-}" ]] || { echo "P12_PASSWORD must hold the PKCS#12 password" >&2; exit 2; }
else
    [[ -n "$auth_key" && -n "$auth_cert" && -n "$sig_key" && -n "$sig_cert" ]] || usage
fi

export SOFTHSM_USER_PIN="${SOFTHSM_USER_PIN:-1234}"
export SOFTHSM_SO_PIN="${SOFTHSM_SO_PIN:-12345678}"
module="${SOFTHSM_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
for tool in softhsm2-util pkcs11-tool openssl; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install -y softhsm2 opensc openssl)" >&2; exit 3; }
done
[[ -f "$module" ]] || { echo "no SoftHSM2 module at $module" >&2; exit 3; }

umask 077
mkdir -p "$dir/tokens"
dir="$(cd "$dir" && pwd)"
export SOFTHSM2_CONF="$dir/softhsm2.conf"
if [[ ! -f "$SOFTHSM2_CONF" ]]; then
    cat >"$SOFTHSM2_CONF" <<EOF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = true
EOF
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- the token -------------------------------------------------------------------------------
token_exists() {
    # Read the whole listing first: `grep -q` stopping early would SIGPIPE softhsm2-util, and
    # pipefail would turn a found token into "not found".
    local slots
    slots="$(softhsm2-util --show-slots 2>/dev/null || true)"
    awk -v want="$label" '
        { line = $0; sub(/^[[:space:]]+/, "", line) }
        line ~ /^Label:/ { sub(/^Label:[[:space:]]*/, "", line); sub(/[[:space:]]+$/, "", line); if (line == want) found = 1 }
        END { exit found ? 0 : 1 }' <<<"$slots"
}
if token_exists; then
    if [[ $reset -eq 0 ]]; then
        echo "a token labelled '$label' already exists in $dir (use --reset to re-initialise it)" >&2
        exit 4
    fi
    softhsm2-util --init-token --token "$label" --label "$label" --so-pin "$SOFTHSM_SO_PIN" --pin "$SOFTHSM_USER_PIN" >/dev/null
else
    softhsm2-util --init-token --free --label "$label" --so-pin "$SOFTHSM_SO_PIN" --pin "$SOFTHSM_USER_PIN" >/dev/null
fi

p11() {
    pkcs11-tool --module "$module" --token-label "$label" --login --pin env:SOFTHSM_USER_PIN "$@" >/dev/null
}

# --- inputs as PEM files ---------------------------------------------------------------------
# p12_extract FILE PREFIX: PREFIX.key (PKCS#8), PREFIX.crt (the key's certificate), PREFIX.chain.
p12_extract() {
    local file="$1" prefix="$2" legacy=()
    if ! openssl pkcs12 -in "$file" -passin env:P12_PASSWORD -nokeys -clcerts -out /dev/null 2>/dev/null; then
        legacy=(-legacy) # RC2-40 certificates (Java 8 era keystores)
    fi
    openssl pkcs12 "${legacy[@]}" -in "$file" -passin env:P12_PASSWORD -nocerts -nodes -out "$prefix.key"
    openssl pkcs12 "${legacy[@]}" -in "$file" -passin env:P12_PASSWORD -nokeys -clcerts -out "$prefix.crt"
    openssl pkcs12 "${legacy[@]}" -in "$file" -passin env:P12_PASSWORD -nokeys -cacerts -out "$prefix.chain"
}

# split_pem FILE PREFIX: one PREFIX.N.pem a certificate.
split_pem() {
    awk -v prefix="$2" '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (prefix "." n ".pem") }' "$1"
}

if [[ -n "$auth_p12" ]]; then
    p12_extract "$auth_p12" "$work/auth"
    p12_extract "$sig_p12" "$work/sig"
    cat "$work/auth.chain" "$work/sig.chain" >"$work/chain.pem"
else
    cp "$auth_key" "$work/auth.key"; cp "$sig_key" "$work/sig.key"
    openssl x509 -in "$auth_cert" -out "$work/auth.crt"
    openssl x509 -in "$sig_cert" -out "$work/sig.crt"
    cat ${ca_cert:+"$ca_cert"} ${root_cert:+"$root_cert"} /dev/null >"$work/chain.pem"
fi

# The CA is the leaf's issuer; the root is the self-issued certificate.
issuer_of_leaf="$(openssl x509 -in "$work/auth.crt" -noout -issuer -nameopt RFC2253)"
issuer_of_leaf="${issuer_of_leaf#issuer=}"
ca_pem="" root_pem=""
split_pem "$work/chain.pem" "$work/chain"
for pem in "$work"/chain.*.pem; do
    [[ -f "$pem" ]] || continue
    subject="$(openssl x509 -in "$pem" -noout -subject -nameopt RFC2253)"; subject="${subject#subject=}"
    issuer="$(openssl x509 -in "$pem" -noout -issuer -nameopt RFC2253)"; issuer="${issuer#issuer=}"
    if [[ "$subject" == "$issuer" ]]; then
        root_pem="$pem"
    elif [[ "$subject" == "$issuer_of_leaf" ]]; then
        ca_pem="$pem"
    fi
done

# --- objects ---------------------------------------------------------------------------------
write_key() { # PEM-KEY LABEL ID [extra pkcs11-tool options]
    local key="$1" object_label="$2" id="$3"; shift 3
    openssl pkey -in "$key" -outform DER -out "$work/key.der"
    p11 --write-object "$work/key.der" --type privkey --label "$object_label" --id "$id" --usage-sign "$@"
    rm -f "$work/key.der"
}
write_certificate() { # PEM-CERT LABEL ID
    openssl x509 -in "$1" -outform DER -out "$work/cert.der"
    p11 --write-object "$work/cert.der" --type cert --label "$2" --id "$3"
}

write_key "$work/auth.key" Authentication 02
write_certificate "$work/auth.crt" Authentication 02
if [[ $always_auth -eq 1 ]]; then
    write_key "$work/sig.key" Signature 03 --always-auth
else
    write_key "$work/sig.key" Signature 03
fi
write_certificate "$work/sig.crt" Signature 03
[[ -n "$ca_pem" ]] && write_certificate "$ca_pem" CA 04
[[ -n "$root_pem" ]] && write_certificate "$root_pem" Root 06

echo "export SOFTHSM2_CONF=$SOFTHSM2_CONF"
