/** Pure-JS X.509 for IEEE 2030.5: certificates built with node:crypto, and the development PKI on disk. */
export {
  certificateIssuer,
  createCertificateAuthority,
  issueDeviceCertificate,
  issueServerCertificate,
  type CertificateAndKey,
  type CertificateAuthority,
  type CertificateIssuer,
  type CertificateOptions,
  type DeviceCertificateOptions,
  type ServerCertificateOptions,
} from './certificates.js';
export {
  ensureSepPki,
  SEP_DEV_SERVER_HOSTS,
  SEP_PKI_DIRECTORY,
  SEP_PKI_FILES,
  type SepPki,
} from './dev-pki.js';
