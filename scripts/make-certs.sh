#!/usr/bin/env bash
# Makes the throwaway TLS material the TLS/mTLS cases use, into .build/certs/ (git-ignored):
#   ca.pem           test CA that signs the server and client certificates
#   server.pem/.key  server certificate for the name "interop.test" (clients override the name,
#                    since they dial 127.0.0.1)
#   client.pem/.key  client certificate for mTLS
#   wrong-ca.pem     an unrelated CA: trusting it instead of ca.pem must fail the handshake
# Keys are made fresh on every machine and never committed.
set -euo pipefail
out="${1:-$(dirname "$0")/../.build/certs}"
mkdir -p "$out"
cd "$out"
command -v openssl >/dev/null || { echo "error: openssl is not installed: apt-get install openssl" >&2; exit 2; }

key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
ca() { # name file
  key "$2.key"
  openssl req -x509 -new -key "$2.key" -sha256 -days 3650 -subj "/CN=$1" -out "$2.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
leaf() { # cn file extensions
  key "$2.key"
  openssl req -new -key "$2.key" -subj "/CN=$1" -out "$2.csr" 2>/dev/null
  printf '%s\n' "$3" > "$2.ext"
  openssl x509 -req -in "$2.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 825 \
    -extfile "$2.ext" -out "$2.pem" 2>/dev/null
  rm -f "$2.csr" "$2.ext"
}

ca "grpc-interop test CA" ca
ca "grpc-interop unrelated CA" wrong-ca
rm -f wrong-ca.key
leaf interop.test server "subjectAltName=DNS:interop.test
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature"
leaf interop-client client "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
rm -f ca.srl
echo "certs: wrote $(pwd)/{ca,wrong-ca,server,client}.pem"
