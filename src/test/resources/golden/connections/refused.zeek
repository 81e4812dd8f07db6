#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	XXXX-XX-XX-XX-XX-XX
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	ip_proto	community_id	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	count	string	string	string	string	count	double	count	bool	bool	bool	string	string
1795433929.602609	C9DTeO1QG544Z76nb5	10.200.0.1	40000	10.200.0.2	8081	tcp	-	0.000020	0	0	REJ	-	-	0	Sr	1	60	1	40	-	6	1:bWtkQd5RJ/cBT/jiI3ERpD3k29Q=	refused	closed	closed	0	-	0	F	F	F	-	-
#close	XXXX-XX-XX-XX-XX-XX
