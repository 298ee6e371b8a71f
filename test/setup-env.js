// n8n-core logs every node error through its own logger; keep test output readable.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
